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

export interface User {
  username: string;
  role: string;
  language: "en" | "es";
  display_name?: string;
}

export interface Session {
  user: User;
  csrf_token: string;
}

export interface ChildSummary {
  id: number;
  a_number: string | null;
  given_names: string;
  paternal_surname: string;
  maternal_surname: string;
  birth_date: string;
  birth_precision: string;
  country_of_birth: string;
}

export interface ChildDetail extends ChildSummary {
  sex: string;
  languages: string[];
  interpreter_needed: boolean;
}

export interface Sponsor {
  id: number;
  given_names: string;
  paternal_surname: string;
  maternal_surname: string;
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

export interface TimelineEntry {
  kind: "custody_event" | "notice" | "hearing" | "welfare_check" | "contact" | "task";
  at: string;
  summary: Record<string, string | number | boolean | null>;
}

export interface CaseView {
  child: ChildDetail;
  sponsor: Sponsor | null;
  addresses: Address[];
  timeline: TimelineEntry[];
}

export interface AccessLogEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  purpose: string;
  fields: string;
}

export const api = {
  login: (username: string, password: string) => request<Session>("POST", "/api/session", { username, password }),
  logout: () => request<unknown>("DELETE", "/api/session"),
  me: () => request<Session>("GET", "/api/session"),
  setLanguage: (language: "en" | "es") => request<unknown>("PATCH", "/api/me", { language }),
  findChildren: (query: { a_number?: string; name?: string }) => {
    const params = new URLSearchParams();
    if (query.a_number) params.set("a_number", query.a_number);
    if (query.name) params.set("name", query.name);
    return request<{ items: ChildSummary[] }>("GET", `/api/children?${params}`);
  },
  caseView: (id: number) => request<CaseView>("GET", `/api/children/${id}/case`),
  accessLog: (id: number) => request<{ items: AccessLogEntry[] }>("GET", `/api/children/${id}/access-log`),
  users: () => request<{ items: (User & { active: boolean })[] }>("GET", "/api/users"),
};
