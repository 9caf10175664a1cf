import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiError, request, setCsrfToken } from "../lib/api";
import type { ConsoleRole } from "../lib/roles";

export interface ConsoleUser {
  username: string;
  displayName: string;
  role: ConsoleRole;
  department: string;
  clientId: string;
}

interface SessionAnswer {
  user: ConsoleUser;
  csrfToken: string;
}

interface SessionState {
  /** undefined while the first GET /console/api/session is in flight. */
  user: ConsoleUser | null | undefined;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<ConsoleUser | null | undefined>(undefined);
  const accept = useCallback((answer: SessionAnswer) => {
    setCsrfToken(answer.csrfToken);
    setUser(answer.user);
  }, []);
  useEffect(() => {
    // A page reload keeps the HttpOnly cookie: ask the gateway whose session it is.
    request<SessionAnswer>("GET", "/console/api/session").then(accept, () => setUser(null));
  }, [accept]);
  // A session that ended (idle, disabled user) answers 401 to any call: back to the login form.
  useEffect(() => {
    const onRejection = (event: PromiseRejectionEvent) => {
      if (event.reason instanceof ApiError && event.reason.code === "UNAUTHENTICATED") setUser(null);
    };
    window.addEventListener("unhandledrejection", onRejection);
    return () => window.removeEventListener("unhandledrejection", onRejection);
  }, []);
  const value = useMemo<SessionState>(
    () => ({
      user,
      async login(username, password) {
        accept(await request<SessionAnswer>("POST", "/console/api/login", { username, password }));
      },
      async logout() {
        await request("POST", "/console/api/logout", {}).catch(() => undefined);
        setCsrfToken(null);
        setUser(null);
      },
    }),
    [user, accept],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside SessionProvider");
  return state;
}

/** The signed-in user; pages render only inside a session. */
export function useUser(): ConsoleUser {
  const { user } = useSession();
  if (!user) throw new Error("no console session");
  return user;
}
