/** A REST call's answer: the HTTP status and the parsed body (null when empty). */
export interface ApiAnswer {
  status: number;
  /** Directus's JSON, shaped by each route: the caller knows what it asked for. */
  body: any;
}

export interface AdminSession {
  token: string;
  request(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  /** Like `request`, for calls that must succeed: any answer but 2xx throws. Returns the body. */
  requestOk(method: string, path: string, body?: unknown): Promise<any>;
}

/** Signs in to a running Directus through its REST API; throws when the sign-in fails. */
export async function signIn(
  base: string,
  credentials: { email: string; password: string },
): Promise<AdminSession> {
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;

  const request: AdminSession['request'] = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();

    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  return {
    token,
    request,
    async requestOk(method, path, body) {
      const answer = await request(method, path, body);
      if (answer.status >= 300) {
        throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }

      return answer.body;
    },
  };
}
