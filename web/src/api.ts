// The one place the UI talks to the server: JSON in and out, the session cookie sent by the
// browser, the CSRF token on every unsafe request, and problem+json errors turned into
// ApiError with the server's message for the person reading it.
export class ApiError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

let csrfToken = "";

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const message = typeof data.detail === "string" ? data.detail : response.statusText;
    throw new ApiError(response.status, message);
  }
  return data as T;
}

export interface Session {
  name: string;
  role: string;
  organization: string;
  csrf_token: string;
  permissions?: string[];
}

export interface PersonName {
  given_names: string;
  paternal_surname: string;
  maternal_surname: string;
}

export interface Child {
  id: number;
  a_number: string | null;
  name: PersonName;
  birth_date: string;
  birth_precision: string;
  sex: string;
  country_of_birth: string;
  languages: string[];
  interpreter_needed: boolean;
}

export interface ReviewSide {
  entity: string;
  id: number;
  given_names: string;
  paternal_surname: string;
  maternal_surname: string;
  birth_date: string;
  sex: string;
  country: string;
  a_number: string;
  source: string;
}

export interface LinkReview {
  id: number;
  probability: number;
  status: string;
  left: ReviewSide;
  right: ReviewSide;
  fields: { field: string; agreement: string; weight: number }[];
  rule?: string;
}

// A person-search hit: the child, its rank score and why it matched (one reason per matching part).
export interface SearchHit extends Child {
  score: number;
  why: string[];
}

export interface Sponsor {
  id: number;
  name: PersonName;
  category: string;
  relationship: string;
  phone: string | null;
}

export interface Address {
  id: number;
  line: string;
  unit: string;
  city: string;
  state: string;
  zip: string;
  status: string;
  source: string;
  first_confirmed: string | null;
  last_confirmed: string | null;
}

type Fields = Record<string, string | number | boolean | null | number[]>;

export interface TimelineEntry {
  kind: "custody_event" | "notice" | "hearing" | "welfare_check" | "contact" | "task";
  at: string;
  summary: Fields;
}

// A part of the case the signed-in user may not see: shown as a message, not left blank.
export interface Denied {
  part: string;
  message: string;
}

export interface CaseView {
  child: Child;
  sponsor: Sponsor | null;
  addresses: Address[];
  timeline: TimelineEntry[];
  denied: Denied[];
}

export interface AccessLogEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  purpose: string;
  fields: string;
}

export interface Account {
  name: string;
  role: string;
  organization?: string;
  disabled?: boolean;
}

// A row of the worklist (GET /api/tasks): why it is there, in English and, when written, Spanish.
export interface WorklistTask {
  id: number;
  child_id: number | null;
  rule: string;
  queue: string;
  reason: string;
  reason_es?: string;
  priority: "urgent" | "high" | "normal" | "low";
  status: "open" | "closed";
  opened_at: string;
  due_at: string;
  assignee: string;
  closed_at: string | null;
  close_reason: string;
  overdue: boolean;
}

// One fiscal year of the oversight report (GET /api/reports/oversight): counts only.
export interface OversightYear {
  fiscal_year: number;
  released: number;
  without_notice_served: number;
  failed_to_appear: number;
  address_defects: number;
  unreachable_at_follow_up: number;
  gaps_opened: number;
  gaps_closed: number;
  median_days_to_close: number | null;
  overdue: number;
}

export interface OversightReport {
  by: string;
  as_of: string;
  years: OversightYear[];
}

export interface Assignee {
  name: string;
  role: string;
}

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

// One part of the case; a permission denial becomes a Denied entry instead of an error.
async function part<T>(path: string, name: string, denied: Denied[]): Promise<T[]> {
  try {
    return (await request<Page<T>>("GET", path)).items;
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      denied.push({ part: name, message: error.message });
      return [];
    }
    throw error;
  }
}

async function loadCase(id: number): Promise<CaseView> {
  const child = await request<Child>("GET", `/api/children/${id}`);
  const denied: Denied[] = [];
  const base = `/api/children/${id}`;
  const [addresses, custody, notices, hearings, checks, contacts, tasks] = await Promise.all([
    part<Address>(`${base}/addresses`, "addresses", denied),
    part<Fields>(`${base}/custody-events`, "custody-events", denied),
    part<Fields>(`${base}/notices`, "notices", denied),
    part<Fields>(`${base}/hearings`, "hearings", denied),
    part<Fields>(`${base}/welfare-checks`, "welfare-checks", denied),
    part<Fields>(`${base}/contacts`, "contacts", denied),
    part<Fields>(`${base}/tasks`, "tasks", denied),
  ]);
  const timeline: TimelineEntry[] = [];
  const add = (kind: TimelineEntry["kind"], records: Fields[], when: string) => {
    for (const { id: _id, child_id: _child, ...summary } of records) timeline.push({ kind, at: String(summary[when] ?? ""), summary });
  };
  add("custody_event", custody, "occurred_at");
  add("notice", notices, "issued_on");
  add("hearing", hearings, "scheduled_at");
  add("welfare_check", checks, "due_on");
  add("contact", contacts, "occurred_at");
  add("task", tasks, "opened_at");
  timeline.sort((a, b) => a.at.localeCompare(b.at));
  const release = custody.find((e) => e.kind === "released_to_sponsor" && e.sponsor_id);
  let sponsor: Sponsor | null = null;
  if (release) {
    try {
      sponsor = await request<Sponsor>("GET", `/api/sponsors/${release.sponsor_id}`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 403)) throw error;
      denied.push({ part: "sponsor", message: error.message });
    }
  }
  return { child, sponsor, addresses, timeline, denied };
}

// The contact center (docs/contact-center.md).
export interface PopContact {
  id: number;
  occurred_at: string;
  channel: string;
  caller_type: string;
  category: string;
  sub_category: string;
  outcome: string;
  child_ids: number[];
}

export interface Pop {
  call_id: string;
  caller_number: string;
  queue: string;
  language: string;
  state: string;
  event?: string;
  timestamp?: string;
  previous_contacts: PopContact[];
  children: Child[];
}

export interface AgentStatus {
  name: string;
  state: string;
  languages: string[];
  since: string;
  call_id: string;
}

export interface WaitingCall {
  call_id: string;
  queue: string;
  language: string;
  priority: number;
  wait_seconds: number;
}

export interface Desk {
  agent: AgentStatus;
  call: Pop | null;
  waiting: WaitingCall[];
}

export interface NewContact {
  channel: string;
  caller_type: string;
  category: string;
  sub_category: string;
  language: string;
  narrative: string;
  outcome: string;
  child_ids: number[];
  caller_number: string;
  call_id: string;
  details: Record<string, string>;
}

export interface RecordedContact {
  id: number;
  follow_ups: WorklistTask[];
}

export interface WallboardFigures {
  at: string;
  calls_waiting: number;
  waiting: WaitingCall[];
  longest_wait_seconds: number;
  offered: number;
  answered: number;
  abandoned: number;
  service_level: number;
  service_level_target: number;
  answer_target_seconds: number;
  abandonment_rate: number;
  average_handle_seconds: number;
  agents_by_state: Record<string, number>;
  volume_by_hour: number[];
  contacts_today: number;
  contacts_by_category: Record<string, number>;
}

export interface Staffing {
  load_erlangs: number;
  agents: number;
  scheduled_agents: number;
  service_level: number;
  average_speed_of_answer: number;
  occupancy: number;
}

export const api = {
  login: (name: string, password: string) => request<Session>("POST", "/api/session", { name, password }),
  logout: () => request<unknown>("DELETE", "/api/session"),
  session: () => request<Session>("GET", "/api/session"),
  linkReviews: () => request<Page<LinkReview>>("GET", "/api/link-reviews?limit=20"),
  decideLinkReview: (id: number, decision: string) =>
    request<LinkReview>("POST", `/api/link-reviews/${id}/decision`, { decision }),
  searchPeople: (query: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
    return request<{ items: SearchHit[] }>("GET", `/api/search?${params}`);
  },
  findChildren: (query: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
    return request<Page<Child>>("GET", `/api/children?${params}`);
  },
  caseView: loadCase,
  accessLog: (id: number) => request<Page<AccessLogEntry>>("GET", `/api/children/${id}/access-log`),
  users: () => request<Page<Account>>("GET", "/api/users"),
  worklist: (queue: string) =>
    request<Page<WorklistTask>>("GET", `/api/tasks?${new URLSearchParams({ queue, status: "open", limit: "200" })}`),
  myTasks: () =>
    request<Page<WorklistTask>>("GET", `/api/tasks?${new URLSearchParams({ assignee: "me", status: "open", limit: "200" })}`),
  assignees: () => request<{ items: Assignee[] }>("GET", "/api/assignees"),
  oversight: () => request<OversightReport>("GET", "/api/reports/oversight?by=fiscal-year"),
  resolveTask: (id: number, outcome: string) => request<WorklistTask>("POST", `/api/tasks/${id}/resolve`, { outcome }),
  assignTask: (id: number, assignee: string) => request<WorklistTask>("POST", `/api/tasks/${id}/assign`, { assignee }),
  desk: () => request<Desk>("GET", "/api/agent/desk"),
  setAgentState: (state: string, languages: string[]) =>
    request<AgentStatus>("PUT", "/api/agent/state", { state, languages }),
  recordContact: (contact: NewContact) => request<RecordedContact>("POST", "/api/contacts", contact),
  wallboard: () => request<WallboardFigures>("GET", "/api/wallboard"),
  staffing: (query: Record<string, string>) =>
    request<Staffing>("GET", `/api/contact-center/staffing?${new URLSearchParams(query)}`),
};
