// Person search: free text as a caller says it (GET /api/search: any order, typos, ranked, with
// reasons), and the exact look-up by A-number or name as written in the record.
import { FormEvent, useState } from "react";
import { api, Child, SearchHit } from "../api";
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
  const [freeText, setFreeText] = useState("");
  const [birthDate, setBirthDate] = useState("");
  const [hits, setHits] = useState<SearchHit[]>();

  async function search(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setResults(undefined);  // one result list at a time
    try {
      setHits((await api.searchPeople({ q: freeText.trim(), dob: birthDate })).items);
    } catch (failure) {
      setHits(undefined);
      setError(failure);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setHits(undefined);
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
      <h2 id="free-search-title">{t("freeSearchTitle")}</h2>
      <p className="muted">{t("freeSearchHelp")}</p>
      <form className="card row" onSubmit={search} role="search" aria-labelledby="free-search-title">
        <div>
          <label htmlFor="free-text">{t("freeSearchText")}</label>
          <input id="free-text" value={freeText} onChange={(e) => setFreeText(e.target.value)} />
        </div>
        <div>
          <label htmlFor="free-birth-date">{t("birthDateOptional")}</label>
          <input id="free-birth-date" type="date" value={birthDate} onChange={(e) => setBirthDate(e.target.value)} />
        </div>
        <button type="submit">{t("search")}</button>
      </form>
      {hits && hits.length === 0 && <p role="status">{t("noResults")}</p>}
      {hits && hits.length > 0 && (
        <>
          <p role="status">{t("searchHits", { count: hits.length })}</p>
          <table>
            <thead>
              <tr><th scope="col">{t("name")}</th><th scope="col">{t("born")}</th><th scope="col">{t("aNumber")}</th><th scope="col">{t("whyMatched")}</th></tr>
            </thead>
            <tbody>
              {hits.map((hit) => (
                <tr key={hit.id}>
                  <td><a href={`#/children/${hit.id}`}>{fullName(hit.name)}</a></td>
                  <td>{formatDate(hit.birth_date)}</td>
                  <td>{hit.a_number ?? ""}</td>
                  <td><ul className="reasons">{hit.why.map((reason) => <li key={reason}>{reason}</li>)}</ul></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2 id="exact-lookup-title">{t("exactLookupTitle")}</h2>
      <p className="muted">{t("lookupHelp")}</p>
      <form className="card row" onSubmit={submit} role="search" aria-labelledby="exact-lookup-title">
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
