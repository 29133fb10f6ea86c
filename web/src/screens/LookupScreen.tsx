// Person look-up by A-number or exact name; fuzzy search arrives with record linkage.
import { FormEvent, useState } from "react";
import { api, ChildSummary } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useLanguage } from "../i18n/LanguageContext";
import { fullName } from "./names";

export function LookupScreen() {
  const { t, formatDate } = useLanguage();
  const [aNumber, setANumber] = useState("");
  const [name, setName] = useState("");
  const [results, setResults] = useState<ChildSummary[]>();
  const [error, setError] = useState<unknown>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      setResults((await api.findChildren({ a_number: aNumber.trim(), name: name.trim() })).items);
    } catch (failure) {
      setResults(undefined);
      setError(failure);
    }
  }

  return (
    <section aria-labelledby="lookup-title">
      <h1 id="lookup-title">{t("lookupTitle")}</h1>
      <p className="muted">{t("lookupHelp")}</p>
      <form className="card row" onSubmit={submit} role="search">
        <div>
          <label htmlFor="a-number">{t("aNumber")}</label>
          <input id="a-number" value={aNumber} onChange={(e) => setANumber(e.target.value)} inputMode="numeric" />
        </div>
        <div>
          <label htmlFor="child-name">{t("name")}</label>
          <input id="child-name" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="submit">{t("search")}</button>
      </form>
      {error !== undefined && <ErrorMessage error={error} />}
      {results && results.length === 0 && <p role="status">{t("noResults")}</p>}
      {results && results.length > 0 && (
        <>
          <p role="status">{t("results", { count: results.length })}</p>
          <table>
            <thead>
              <tr><th scope="col">{t("name")}</th><th scope="col">{t("aNumber")}</th><th scope="col">{t("born")}</th><th scope="col">{t("country")}</th></tr>
            </thead>
            <tbody>
              {results.map((child) => (
                <tr key={child.id}>
                  <td><a href={`#/children/${child.id}`}>{fullName(child)}</a></td>
                  <td>{child.a_number ?? ""}</td>
                  <td>{formatDate(child.birth_date)}</td>
                  <td>{child.country_of_birth}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
