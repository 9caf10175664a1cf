import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { en } from "./en";
import { zh, type MessageKey } from "./zh";

export type Language = "zh" | "en";
export type { MessageKey };

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = "onecert.language";

/** "{name}" placeholders filled from params; an unknown one stays visible rather than vanishing. */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface LanguageState {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
}

const LanguageContext = createContext<LanguageState | null>(null);

function initialLanguage(): Language {
  // zh-CN unless the person chose English on this browser before.
  return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "zh";
}

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
    setState(next);
  }, []);
  const value = useMemo<LanguageState>(
    () => ({ language, setLanguage, t: (key, params) => format(DICTIONARIES[language][key], params) }),
    [language, setLanguage],
  );
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export function useLanguage(): LanguageState {
  const state = useContext(LanguageContext);
  if (!state) throw new Error("useLanguage outside LanguageProvider");
  return state;
}

export const useT = (): Translate => useLanguage().t;
