// The data steward's review queue: pairs record linkage was unsure of, side by side, with the
// score broken down per field; accept (one child), reject (two children) or later.
import { useEffect, useState } from "react";
import { api, LinkReview } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useLanguage } from "../i18n/LanguageContext";

type IdentityField = "given_names" | "paternal_surname" | "maternal_surname" | "birth_date" | "sex" | "country" | "a_number" | "source";
const IDENTITY: IdentityField[] = ["given_names", "paternal_surname", "maternal_surname", "birth_date", "sex", "country", "a_number", "source"];

export function ReviewScreen() {
  const { t } = useLanguage();
  const [reviews, setReviews] = useState<LinkReview[]>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState("");

  async function load() {
    try {
      setReviews((await api.linkReviews()).items);
    } catch (failure) {
      setError(failure);
    }
  }
  useEffect(() => { load(); }, []);

  async function decide(review: LinkReview, decision: "accept" | "reject" | "later") {
    setError(undefined);
    try {
      await api.decideLinkReview(review.id, decision);
      setDone(t("reviewDecided", { id: review.id, decision: t(`decision_${decision}`) }));
      if (decision !== "later") setReviews((list) => list?.filter((r) => r.id !== review.id));
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t("reviewTitle")}</h1>
      <p className="muted">{t("reviewHelp")}</p>
      {error !== undefined && <ErrorMessage error={error} />}
      <p role="status">{done}</p>
      {reviews && reviews.length === 0 && <p>{t("reviewEmpty")}</p>}
      {reviews?.map((review) => (
        <article key={review.id} className="card" aria-labelledby={`review-${review.id}`} data-review-id={review.id}>
          <h2 id={`review-${review.id}`}>{t("reviewPair", { id: review.id, percent: Math.round(review.probability * 100) })}</h2>
          {review.rule && <p className="muted">{review.rule}</p>}
          <table>
            <caption>{t("reviewSideBySide")}</caption>
            <thead>
              <tr><th scope="col">{t("reviewField")}</th><th scope="col">{t("reviewLeft")}</th><th scope="col">{t("reviewRight")}</th></tr>
            </thead>
            <tbody>
              {IDENTITY.map((field) => (
                <tr key={field}><th scope="row">{t(`reviewIdentity_${field}`)}</th><td>{review.left[field]}</td><td>{review.right[field]}</td></tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>{t("reviewScore")}</caption>
            <thead>
              <tr><th scope="col">{t("reviewField")}</th><th scope="col">{t("reviewAgreement")}</th><th scope="col">{t("reviewWeight")}</th></tr>
            </thead>
            <tbody>
              {review.fields.map((f) => (
                <tr key={f.field}><th scope="row">{f.field}</th><td>{f.agreement}</td><td>{f.weight > 0 ? `+${f.weight}` : f.weight}</td></tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button type="button" onClick={() => decide(review, "accept")} aria-label={t("reviewAcceptLabel", { id: review.id })}>{t("decision_accept")}</button>
            <button type="button" onClick={() => decide(review, "reject")} aria-label={t("reviewRejectLabel", { id: review.id })}>{t("decision_reject")}</button>
            <button type="button" onClick={() => decide(review, "later")} aria-label={t("reviewLaterLabel", { id: review.id })}>{t("decision_later")}</button>
          </div>
        </article>
      ))}
    </section>
  );
}
