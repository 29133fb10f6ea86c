// Person look-up by A-number or exact name; fuzzy search arrives with record linkage.
import { FormEvent, useState } from "react";
import { api, Child } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useLanguage } from "../i18n/LanguageContext";
import { fullName } from "./names";

export function LookupScreen() {
  const { t, formatDate } = useLanguage();
  const [aNumber, setANumber] = useState("");
  const [givenNames, setGivenNames] = useState("");
  const [paternal, setPaternal] = useState("");
  const [maternal, setMaternal] = useState("");
  const [results, setResults] = useState<Child[]>();
  const [error, setError] = useState<unknown>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      setResults((await api.findChildren({
        a_number: aNumber.trim(), given_names: givenNames.trim(), paternal_surname: paternal.trim(), maternal_surname: maternal.trim(),
      })).items);
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
          <label htmlFor="given-names">{t("givenNames")}</label>
          <input id="given-names" value={givenNames} onChange={(e) => setGivenNames(e.target.value)} />
        </div>
        <div>
          <label htmlFor="paternal-surname">{t("paternalSurname")}</label>
          <input id="paternal-surname" value={paternal} onChange={(e) => setPaternal(e.target.value)} />
        </div>
        <div>
          <label htmlFor="maternal-surname">{t("maternalSurname")}</label>
          <input id="maternal-surname" value={maternal} onChange={(e) => setMaternal(e.target.value)} />
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
                  <td><a href={`#/children/${child.id}`}>{fullName(child.name)}</a></td>
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
