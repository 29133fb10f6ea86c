// The worklist: open tasks of one queue, urgent first then by due time, each saying why it is
// there, linking to the child's case, and resolvable with a recorded outcome.
import { FormEvent, useEffect, useRef, useState } from "react";
import { api, WorklistTask } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useRequest } from "../components/useRequest";
import { useLanguage } from "../i18n/LanguageContext";
import { MessageKey } from "../i18n/messages";

export const QUEUES = ["safety", "welfare", "court", "legal_referral", "records"] as const;
type Queue = (typeof QUEUES)[number];

const QUEUE_LABELS: Record<Queue, MessageKey> = {
  safety: "queue_safety",
  welfare: "queue_welfare",
  court: "queue_court",
  legal_referral: "queue_legal_referral",
  records: "queue_records",
};

const PRIORITY_LABELS: Record<string, MessageKey> = {
  urgent: "priority_urgent",
  high: "priority_high",
  normal: "priority_normal",
  low: "priority_low",
};

function ResolveForm({ task, onResolved, onCancel }: { task: WorklistTask; onResolved: () => void; onCancel: () => void }) {
  const { t } = useLanguage();
  const [outcome, setOutcome] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!outcome.trim()) {
      setError(new Error(t("outcomeRequired")));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.resolveTask(task.id, outcome.trim());
      onResolved();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  const id = `outcome-${task.id}`;
  return (
    <form onSubmit={submit} aria-label={t("resolveTaskLabel", { id: task.id })}>
      <label htmlFor={id}>{t("outcome")}</label>
      <textarea id={id} ref={input} value={outcome} onChange={(e) => setOutcome(e.target.value)} required rows={2} />
      {error !== undefined && <ErrorMessage error={error} />}
      <div className="row">
        <button type="submit" disabled={busy}>{t("resolveSubmit")}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t("cancel")}</button>
      </div>
    </form>
  );
}

export function WorklistScreen({ canResolve }: { canResolve: boolean }) {
  const { t, language, formatDateTime } = useLanguage();
  const [queue, setQueue] = useState<Queue>("safety");
  const [reload, setReload] = useState(0);
  const [resolving, setResolving] = useState<number>();
  const [announcement, setAnnouncement] = useState("");
  const tasks = useRequest(() => api.worklist(queue), [queue, reload]);

  function resolved(task: WorklistTask) {
    setResolving(undefined);
    setAnnouncement(t("taskResolved", { id: task.id }));
    setReload((n) => n + 1);
  }

  return (
    <section aria-labelledby="worklist-title">
      <h1 id="worklist-title">{t("worklistTitle")}</h1>
      <p className="muted">{t("worklistHelp")}</p>
      <div className="card row">
        <div>
          <label htmlFor="queue">{t("queue")}</label>
          <select id="queue" value={queue} onChange={(e) => { setQueue(e.target.value as Queue); setResolving(undefined); }}>
            {QUEUES.map((name) => <option key={name} value={name}>{t(QUEUE_LABELS[name])}</option>)}
          </select>
        </div>
      </div>
      <p role="status" className="muted">{announcement}</p>
      {tasks.loading && <p role="status">{t("loading")}</p>}
      {tasks.error !== undefined && <ErrorMessage error={tasks.error} />}
      {tasks.data && tasks.data.items.length === 0 && <p role="status">{t("worklistEmpty")}</p>}
      {tasks.data && tasks.data.items.length > 0 && (
        <table aria-labelledby="worklist-title">
          <thead>
            <tr>
              <th scope="col">{t("priority")}</th>
              <th scope="col">{t("reason")}</th>
              <th scope="col">{t("due")}</th>
              <th scope="col">{t("child")}</th>
              {canResolve && <th scope="col">{t("action")}</th>}
            </tr>
          </thead>
          <tbody>
            {tasks.data.items.map((task) => (
              <tr key={task.id} data-task-id={task.id}>
                <td>
                  <span className={task.priority === "urgent" ? "badge badge-danger" : task.priority === "high" ? "badge badge-warn" : "badge"}>
                    {t(PRIORITY_LABELS[task.priority] ?? "priority_normal")}
                  </span>
                </td>
                <td lang={language === "es" && task.reason_es ? "es" : "en"}>{language === "es" && task.reason_es ? task.reason_es : task.reason}</td>
                <td>
                  {formatDateTime(task.due_at)}{" "}
                  {task.overdue && <span className="badge badge-danger">{t("overdue")}</span>}
                </td>
                <td style={{ whiteSpace: "nowrap" }}>{task.child_id !== null && <a href={`#/children/${task.child_id}`}>{t("openCase", { id: task.child_id })}</a>}</td>
                {canResolve && (
                  <td>
                    {resolving === task.id ? (
                      <ResolveForm task={task} onResolved={() => resolved(task)} onCancel={() => setResolving(undefined)} />
                    ) : (
                      <button type="button" onClick={() => setResolving(task.id)} aria-label={t("resolveTaskLabel", { id: task.id })}>
                        {t("resolve")}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tasks.data?.next_cursor && <p className="muted">{t("worklistMore")}</p>}
    </section>
  );
}
