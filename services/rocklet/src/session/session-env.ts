/**
 * What a new session inherits from the rocklet's own environment (already without `ROCKLET_*`,
 * which holds the token): all of it, with or without `env_enable`; the request's `env` (which the
 * read service fills with the sandbox's create-time env) goes on top.
 *
 * `env_enable` is accepted and does not narrow the environment. ROCK's agent starts a session from
 * the request's `env` alone when `env_enable` is false and an `env` is given; here the read service
 * always sends the sandbox's create-time env, so that rule would drop the image's own environment
 * (`LANG`, `JAVA_HOME`, a conda or venv setup from the Dockerfile's `ENV`) from every default session
 * of a sandbox created with any env, which no caller asks for. The `ROCK_*` markers must stay in any
 * case: the local runtime finds and stops a sandbox's daemonized processes by them.
 */
export function inheritedSessionEnv(rockletEnv: Readonly<Record<string, string>>, envEnable: boolean): Record<string, string> {
  void envEnable; // accepted for ROCK clients; see above
  return { ...rockletEnv };
}
