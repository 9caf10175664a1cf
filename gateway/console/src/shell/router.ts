import { useEffect, useState } from "react";

// A router of a few lines: the console has a handful of fixed paths below /console, and the
// gateway answers each with index.html (SPA fallback), so history.pushState is all it needs.

const listeners = new Set<() => void>();

export function navigate(path: string): void {
  if (path === window.location.pathname + window.location.search) return;
  window.history.pushState(null, "", path);
  for (const listener of listeners) listener();
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return path;
}

/** The query string of the current location, as the page that owns it reads it. */
export const searchParam = (name: string): string | null =>
  new URLSearchParams(window.location.search).get(name);
