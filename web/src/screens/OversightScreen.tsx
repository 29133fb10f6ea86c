// The oversight dashboard (#/oversight): per fiscal year of release, the inspector general's
// measures and Accompany's own follow-through on the gaps it finds, as charts and as a table
// with the same numbers (the accessible alternative to the charts). Counts only.
import { api, OversightYear } from "../api";
import { BarChart, Series } from "../components/BarChart";
import { ErrorMessage } from "../components/ErrorMessage";
import { useRequest } from "../components/useRequest";
import { useLanguage } from "../i18n/LanguageContext";
import { MessageKey } from "../i18n/messages";

type Measure = Exclude<keyof OversightYear, "fiscal_year">;

const MEASURES: Measure[] = [
  "released", "without_notice_served", "failed_to_appear", "address_defects", "unreachable_at_follow_up",
  "gaps_opened", "gaps_closed", "median_days_to_close", "overdue",
];

// Colour-blind-safe (Okabe-Ito), each at least 3:1 against the white chart background.
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00"];

export function OversightScreen() {
  const { t, formatNumber, formatDateTime } = useLanguage();
  const report = useRequest(() => api.oversight(), []);
  const years = report.data?.years ?? [];
  const categories = years.map((y) => t("fy", { year: y.fiscal_year }));
  const series = (measures: Measure[]): Series[] =>
    measures.map((measure, i) => ({
      label: t(`measure_${measure}` as MessageKey),
      values: years.map((y) => y[measure]),
      color: COLORS[i % COLORS.length],
    }));
  const total = (measure: Measure) => years.reduce((sum, y) => sum + (y[measure] ?? 0), 0);
  const chart = (title: MessageKey, measures: Measure[], format = formatNumber) => (
    <BarChart title={t(title)} description={t("chartDescription")} categories={categories} series={series(measures)} formatValue={format} />
  );

  return (
    <section aria-labelledby="oversight-title">
      <h1 id="oversight-title">{t("oversightTitle")}</h1>
      <p className="muted">{t("oversightHelp")}</p>
      {report.loading && <p role="status">{t("loading")}</p>}
      {report.error !== undefined && <ErrorMessage error={report.error} />}
      {report.data && <p className="muted">{t("oversightAsOf", { date: formatDateTime(report.data.as_of) })}</p>}
      {report.data && years.length === 0 && <p role="status">{t("oversightEmpty")}</p>}
      {years.length > 0 && (
        <>
          <h2>{t("chartIgMeasures")}</h2>
          <div className="charts">
            {chart("chartReleased", ["released", "without_notice_served"])}
            {chart("chartOtherMeasures", ["failed_to_appear", "address_defects", "unreachable_at_follow_up"])}
          </div>
          <h2>{t("chartSystem")}</h2>
          <div className="charts">
            {chart("chartFollowThrough", ["gaps_opened", "gaps_closed"])}
            {chart("chartDaysToClose", ["median_days_to_close"], (v) => formatNumber(Math.round(v * 10) / 10))}
            {chart("chartOverdue", ["overdue"])}
          </div>
          <h2 id="oversight-table">{t("chartDataTable")}</h2>
          <div style={{ overflowX: "auto" }}>
            <table aria-labelledby="oversight-table">
              <thead>
                <tr>
                  <th scope="col">{t("fiscalYear")}</th>
                  {MEASURES.map((m) => <th scope="col" key={m}>{t(`measure_${m}` as MessageKey)}</th>)}
                </tr>
              </thead>
              <tbody>
                {years.map((y) => (
                  <tr key={y.fiscal_year}>
                    <th scope="row">{t("fy", { year: y.fiscal_year })}</th>
                    {MEASURES.map((m) => <td key={m}>{y[m] === null ? "—" : formatNumber(y[m] as number)}</td>)}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t("total")}</th>
                  {MEASURES.map((m) => <td key={m}>{m === "median_days_to_close" ? "—" : formatNumber(total(m))}</td>)}
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
