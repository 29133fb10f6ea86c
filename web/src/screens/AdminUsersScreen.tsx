// Administrators see users and their roles (and never case content).
import { api } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useRequest } from "../components/useRequest";
import { useLanguage } from "../i18n/LanguageContext";

export function AdminUsersScreen() {
  const { t } = useLanguage();
  const users = useRequest(() => api.users(), []);
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t("usersTitle")}</h1>
      {users.loading && <p role="status">{t("loading")}</p>}
      {users.error !== undefined && <ErrorMessage error={users.error} />}
      {users.data && (
        <table>
          <thead><tr><th scope="col">{t("username")}</th><th scope="col">{t("role")}</th><th scope="col">{t("status")}</th></tr></thead>
          <tbody>
            {users.data.items.map((user) => (
              <tr key={user.name}>
                <td>{user.name}</td><td>{user.role}</td><td>{user.disabled ? t("disabled") : t("active")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
