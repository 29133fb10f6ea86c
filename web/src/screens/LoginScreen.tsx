// Log in with a user name and password; the server sets the session cookie.
import { FormEvent, useState } from "react";
import { api, ApiError, Session } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useLanguage } from "../i18n/LanguageContext";

export function LoginScreen({ onLogin }: { onLogin: (session: Session) => void }) {
  const { t } = useLanguage();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await api.login(username, password));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="login-title" style={{ maxWidth: "28rem" }}>
      <h1 id="login-title">{t("loginTitle")}</h1>
      {error instanceof ApiError && error.status === 401 ? (
        <div className="alert alert-error" role="alert">{t("loginFailed", { message: error.message })}</div>
      ) : (
        error !== undefined && <ErrorMessage error={error} />
      )}
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="username">{t("username")}</label>
          <input id="username" name="username" autoComplete="username" required value={username}
                 onChange={(e) => setUsername(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">{t("password")}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required value={password}
                 onChange={(e) => setPassword(e.target.value)} />
        </div>
        <button type="submit" disabled={busy}>{t("logIn")}</button>
      </form>
    </section>
  );
}
