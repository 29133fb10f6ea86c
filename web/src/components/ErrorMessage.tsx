// A failed request shown as a sentence the user can act on, never a blank screen.
import { ApiError } from "../api";
import { useLanguage } from "../i18n/LanguageContext";

export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useLanguage();
  const message = error instanceof Error ? error.message : String(error);
  let text = t("errorGeneric", { message });
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) text = t("permissionDenied", { message });
  else if (error instanceof ApiError && error.status === 404) text = t("notFound", { message });
  return (
    <div className="alert alert-error" role="alert">
      {text}
    </div>
  );
}
