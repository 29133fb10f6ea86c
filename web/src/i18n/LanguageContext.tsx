// The current language for the whole app, with locale-aware date and number formatting.
import { createContext, useContext } from "react";
import { Language, MessageKey, translate } from "./messages";

export interface LanguageTools {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  formatDate: (isoDate: string) => string;
  formatDateTime: (isoInstant: string) => string;
  formatNumber: (value: number) => string;
}

export function makeLanguageTools(language: Language, setLanguage: (language: Language) => void): LanguageTools {
  const locale = language === "es" ? "es-US" : "en-US";
  const dateFormat = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", timeZoneName: "short",
  });
  const numberFormat = new Intl.NumberFormat(locale);
  return {
    language,
    setLanguage,
    t: (key, params) => translate(language, key, params),
    formatDate: (iso) => (iso ? dateFormat.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)) : ""),
    formatDateTime: (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : ""),
    formatNumber: (value) => numberFormat.format(value),
  };
}

export const LanguageContext = createContext<LanguageTools>(makeLanguageTools("en", () => {}));

export function useLanguage(): LanguageTools {
  return useContext(LanguageContext);
}
