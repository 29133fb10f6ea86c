// The app shell: session, language, navigation by URL hash, and the current screen.
import { useEffect, useMemo, useState } from "react";
import { api, Session, setCsrfToken } from "./api";
import { LanguageContext, makeLanguageTools } from "./i18n/LanguageContext";
import { Language } from "./i18n/messages";
import { AdminUsersScreen } from "./screens/AdminUsersScreen";
import { CaseScreen } from "./screens/CaseScreen";
import { DeskScreen } from "./screens/DeskScreen";
import { LoginScreen } from "./screens/LoginScreen";
import { LookupScreen } from "./screens/LookupScreen";
import { OversightScreen } from "./screens/OversightScreen";
import { WallboardScreen } from "./screens/WallboardScreen";
import { WorklistScreen } from "./screens/WorklistScreen";
import { ReviewScreen } from "./screens/ReviewScreen";

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return hash;
}

const SUPERVISING_ROLES = ["supervisor"];

function holds(session: Session, permission: string): boolean {
  return session.permissions?.includes(permission) ?? false;
}

function rememberedLanguage(user: string): Language | null {
  return localStorage.getItem(`language:${user}`) as Language | null;
}

export function App() {
  const [session, setSession] = useState<Session | null>();
  const [language, setLanguageState] = useState<Language>((localStorage.getItem("language") as Language) || "en");
  const hash = useHash();

  useEffect(() => {
    api.session().then((current) => {
      setCsrfToken(current.csrf_token);
      setSession(current);
      setLanguageState(rememberedLanguage(current.name) ?? language);
    }, () => setSession(null));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    document.documentElement.lang = language;
    localStorage.setItem("language", language);
    if (session) localStorage.setItem(`language:${session.name}`, language);  // remembered per user
  }, [language, session]);

  const tools = useMemo(() => makeLanguageTools(language, setLanguageState), [language]);

  function loggedIn(next: Session) {
    setCsrfToken(next.csrf_token);
    setSession(next);
    // The sign-in reply carries no permissions; the session does (the navigation depends on them).
    api.session().then((full) => setSession(full), () => {});
    setLanguageState(rememberedLanguage(next.name) ?? language);
    // Signing in answers who; GET /api/session also lists the permissions the navigation needs.
    api.session().then((full) => setSession(full), () => {});
    if (!window.location.hash || window.location.hash === "#/login") window.location.hash = "#/lookup";
  }

  async function logOut() {
    await api.logout().catch(() => {});
    setCsrfToken("");
    setSession(null);
    window.location.hash = "#/login";
  }

  const { t } = tools;
  let screen;
  if (session === undefined) screen = <p role="status">{t("loading")}</p>;
  else if (session === null) screen = <LoginScreen onLogin={loggedIn} />;
  else {
    const caseMatch = /^#\/children\/(\d+)$/.exec(hash);
    if (caseMatch) screen = <CaseScreen childId={Number(caseMatch[1])} canSeeAccessLog={SUPERVISING_ROLES.includes(session.role)} />;
    else if (hash === "#/admin/users") screen = <AdminUsersScreen />;
    else if (hash === "#/review" && holds(session, "link.review")) screen = <ReviewScreen />;
    else if (hash === "#/worklist" && holds(session, "task.read"))
      screen = <WorklistScreen canResolve={holds(session, "task.resolve")} canAssign={holds(session, "task.assign")} />;
    else if (hash === "#/oversight" && holds(session, "report.read")) screen = <OversightScreen />;
    else if (hash === "#/desk" && holds(session, "desk.use")) screen = <DeskScreen />;
    else if (hash === "#/wallboard" && holds(session, "wallboard.read")) screen = <WallboardScreen />;
    else screen = <LookupScreen />;
  }

  return (
    <LanguageContext.Provider value={tools}>
      <a className="skip-link" href="#main">{t("skipToContent")}</a>
      <header className="shell-header">
        <span className="brand">{t("appName")}</span>
        <nav aria-label="Main">
          {session && <a href="#/lookup">{t("navLookup")}</a>}
          {session && holds(session, "task.read") && <a href="#/worklist">{t("navWorklist")}</a>}
          {session && holds(session, "report.read") && <a href="#/oversight">{t("navOversight")}</a>}
          {session && holds(session, "link.review") && <a href="#/review">{t("navReview")}</a>}
          {session && holds(session, "desk.use") && <a href="#/desk">{t("navDesk")}</a>}
          {session && holds(session, "wallboard.read") && <a href="#/wallboard">{t("navWallboard")}</a>}
          {session?.role === "administrator" && <a href="#/admin/users">{t("navAdmin")}</a>}
        </nav>
        <label htmlFor="language" className="muted" style={{ margin: 0 }}>{t("language")}</label>
        <select id="language" value={language} onChange={(e) => tools.setLanguage(e.target.value as Language)} style={{ minWidth: 0 }}>
          <option value="en">{t("english")}</option>
          <option value="es">{t("spanish")}</option>
        </select>
        {session && <span className="muted">{t("signedInAs", { name: session.name, role: session.role })}</span>}
        {session && <button className="secondary" onClick={logOut}>{t("logOut")}</button>}
      </header>
      <main id="main" tabIndex={-1}>{screen}</main>
    </LanguageContext.Provider>
  );
}
