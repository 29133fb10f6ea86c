// The supervisor's wallboard: today's figures, refreshed as calls happen (the server sends a
// 'changed' event on every call event; the board fetches at most once a second), agents by
// state, volume by hour, and the Erlang C staffing calculator.
import { FormEvent, useEffect, useRef, useState } from "react";
import { api, Staffing, WallboardFigures } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useLanguage } from "../i18n/LanguageContext";
import { MessageKey } from "../i18n/messages";

function percent(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}

function Tile({ name, value, warn }: { name: string; value: string | number; warn?: boolean }) {
  return (
    <div className={`card tile${warn ? " warn" : ""}`}>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function StaffingForm() {
  const { t } = useLanguage();
  const [calls, setCalls] = useState("");
  const [handle, setHandle] = useState("");
  const [result, setResult] = useState<Staffing>();
  const [error, setError] = useState<unknown>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const query: Record<string, string> = {};
      if (calls) query.calls = calls;
      if (handle) query.handle_seconds = handle;
      setResult(await api.staffing(query));
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="staffing-heading" className="card">
      <h2 id="staffing-heading">{t("staffingTitle")}</h2>
      <p className="muted">{t("staffingHelp")}</p>
      <div className="row">
        <div>
          <label htmlFor="staffing-calls">{t("staffingCalls")}</label>
          <input id="staffing-calls" inputMode="numeric" value={calls} onChange={(e) => setCalls(e.target.value)} />
        </div>
        <div>
          <label htmlFor="staffing-handle">{t("staffingHandle")}</label>
          <input id="staffing-handle" inputMode="numeric" value={handle} onChange={(e) => setHandle(e.target.value)} />
        </div>
      </div>
      <button type="submit">{t("staffingSubmit")}</button>
      {error !== undefined && <ErrorMessage error={error} />}
      {result && (
        <p role="status">
          {t("staffingResult", {
            agents: result.agents, scheduled: result.scheduled_agents, load: result.load_erlangs.toFixed(1),
            level: percent(result.service_level), occupancy: percent(result.occupancy),
          })}
        </p>
      )}
    </form>
  );
}

export function WallboardScreen() {
  const { t } = useLanguage();
  const [figures, setFigures] = useState<WallboardFigures>();
  const [error, setError] = useState<unknown>();
  const pending = useRef<number | undefined>(undefined);

  useEffect(() => {
    const source = new EventSource("/api/wallboard");
    source.addEventListener("wallboard", (event) => setFigures(JSON.parse((event as MessageEvent).data)));
    source.addEventListener("changed", () => {
      if (pending.current !== undefined) return;
      pending.current = window.setTimeout(() => {
        pending.current = undefined;
        api.wallboard().then(setFigures, setError);
      }, 1000);
    });
    return () => {
      source.close();
      if (pending.current !== undefined) window.clearTimeout(pending.current);
    };
  }, []);

  if (!figures) return <p role="status">{t("loading")}</p>;
  const belowTarget = figures.answered + figures.abandoned > 0 && figures.service_level < figures.service_level_target;
  return (
    <div>
      <h1>{t("wallboardTitle")}</h1>
      {error !== undefined && <ErrorMessage error={error} />}
      <dl className="tiles" aria-label={t("wallboardToday")}>
        <Tile name={t("callsWaiting")} value={figures.calls_waiting} />
        <Tile name={t("longestWait")} value={t("seconds", { n: figures.longest_wait_seconds })} />
        <Tile name={t("serviceLevel", { s: figures.answer_target_seconds })} value={percent(figures.service_level)} warn={belowTarget} />
        <Tile name={t("abandonment")} value={percent(figures.abandonment_rate)} />
        <Tile name={t("averageHandle")} value={t("seconds", { n: Math.round(figures.average_handle_seconds) })} />
        <Tile name={t("callsOffered")} value={figures.offered} />
        <Tile name={t("callsAnswered")} value={figures.answered} />
        <Tile name={t("contactsToday")} value={figures.contacts_today} />
      </dl>
      <section aria-labelledby="agents-heading" className="card">
        <h2 id="agents-heading">{t("agentsByState")}</h2>
        <ul>
          {Object.entries(figures.agents_by_state).map(([state, count]) => (
            <li key={state}>{t(`state_${state}` as MessageKey)}: {count}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="categories-heading" className="card">
        <h2 id="categories-heading">{t("contactsByCategory")}</h2>
        <ul>
          {Object.entries(figures.contacts_by_category).map(([category, count]) => (
            <li key={category} data-category={category}>{t(`cat_${category}` as MessageKey)}: {count}</li>
          ))}
        </ul>
      </section>
      <table>
        <caption>{t("volumeByHour")}</caption>
        <thead><tr><th scope="col">{t("hourUtc")}</th><th scope="col">{t("calls")}</th></tr></thead>
        <tbody>
          {figures.volume_by_hour.map((count, hour) => count > 0 && (
            <tr key={hour}><td>{String(hour).padStart(2, "0")}:00</td><td>{count}</td></tr>
          ))}
        </tbody>
      </table>
      <StaffingForm />
    </div>
  );
}
