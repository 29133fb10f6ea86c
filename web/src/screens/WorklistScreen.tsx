// The worklist: open tasks of one queue (or the signed-in user's own, "my tasks"), urgent first
// then by due time, each saying why it is there and who has it, linking to the child's case,
// resolvable with a recorded outcome, and (for supervisors) assignable to a person.
import { FormEvent, useEffect, useRef, useState } from "react";
import { api, Assignee, WorklistTask } from "../api";
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

// Assign or reassign one task: a list of the people who can work it, and a button.
function AssignControl({ task, people, onAssigned }: { task: WorklistTask; people: Assignee[]; onAssigned: (name: string) => void }) {
  const { t } = useLanguage();
  const [name, setName] = useState(task.assignee);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.assignTask(task.id, name);
      onAssigned(name);
    } catch (failure) {
      setError(failure);
    }
    setBusy(false);
  }

  const id = `assignee-${task.id}`;
  return (
    <form onSubmit={submit} className="row">
      <label htmlFor={id} className="visually-hidden">{t("assignTo", { id: task.id })}</label>
      <select id={id} value={name} onChange={(e) => setName(e.target.value)} style={{ minWidth: 0 }}>
        <option value="">{t("unassigned")}</option>
        {people.map((person) => <option key={person.name} value={person.name}>{person.name}</option>)}
      </select>
      <button type="submit" className="secondary" disabled={busy || name === task.assignee}>{t("assign")}</button>
      {error !== undefined && <ErrorMessage error={error} />}
    </form>
  );
}

type Showing = "queue" | "mine";

export function WorklistScreen({ canResolve, canAssign }: { canResolve: boolean; canAssign: boolean }) {
  const { t, language, formatDateTime } = useLanguage();
  const [showing, setShowing] = useState<Showing>("queue");
  const [queue, setQueue] = useState<Queue>("safety");
  const [reload, setReload] = useState(0);
  const [resolving, setResolving] = useState<number>();
  const [announcement, setAnnouncement] = useState("");
  const tasks = useRequest(() => (showing === "mine" ? api.myTasks() : api.worklist(queue)), [showing, queue, reload]);
  const people = useRequest(() => (canAssign ? api.assignees() : Promise.resolve({ items: [] as Assignee[] })), [canAssign]);

  function assigned(task: WorklistTask, name: string) {
    setAnnouncement(name ? t("taskAssigned", { id: task.id, name }) : t("taskUnassigned", { id: task.id }));
    setReload((n) => n + 1);
  }

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
        <fieldset className="row" style={{ border: 0, margin: 0, padding: 0, alignItems: "center" }}>
          <legend className="visually-hidden">{t("showTasks")}</legend>
          {(["queue", "mine"] as Showing[]).map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="showing" value={value} checked={showing === value}
                onChange={() => { setShowing(value); setResolving(undefined); }} />
              {t(value === "mine" ? "showMine" : "showQueue")}
            </label>
          ))}
        </fieldset>
        {showing === "queue" && (
          <div>
            <label htmlFor="queue">{t("queue")}</label>
            <select id="queue" value={queue} onChange={(e) => { setQueue(e.target.value as Queue); setResolving(undefined); }}>
              {QUEUES.map((name) => <option key={name} value={name}>{t(QUEUE_LABELS[name])}</option>)}
            </select>
          </div>
        )}
      </div>
      <p role="status" className="muted">{announcement}</p>
      {tasks.loading && <p role="status">{t("loading")}</p>}
      {tasks.error !== undefined && <ErrorMessage error={tasks.error} />}
      {tasks.data && tasks.data.items.length === 0 && <p role="status">{t(showing === "mine" ? "myTasksEmpty" : "worklistEmpty")}</p>}
      {tasks.data && tasks.data.items.length > 0 && (
        <table aria-labelledby="worklist-title">
          <thead>
            <tr>
              <th scope="col">{t("priority")}</th>
              <th scope="col">{t("reason")}</th>
              <th scope="col">{t("due")}</th>
              <th scope="col">{t("child")}</th>
              <th scope="col">{t("assignee")}</th>
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
                <td>
                  {canAssign && people.data ? (
                    <AssignControl task={task} people={people.data.items} onAssigned={(name) => assigned(task, name)} />
                  ) : (
                    task.assignee || <span className="muted">{t("unassigned")}</span>
                  )}
                </td>
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
