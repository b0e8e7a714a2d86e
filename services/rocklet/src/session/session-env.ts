/**
 * What a new session inherits from the rocklet's own environment (already without `ROCKLET_*`,
 * which holds the token): all of it, with or without `env_enable`; the request's `env` (which the
 * read service fills with the sandbox's create-time env) goes on top.
 *
 * `env_enable` is accepted and does not narrow the environment. API.md gives it no meaning, and
 * ROCK's own code could not be read here. A rule like "without `env_enable`, the request's `env`
 * alone" would, since the read service always sends the sandbox's create-time env, drop the image's
 * own environment (`LANG`, `JAVA_HOME`, a conda or venv setup from the Dockerfile's `ENV`) from every
 * default session of a sandbox created with any env. The `ROCK_*` markers must stay in any
 * case: the local runtime finds and stops a sandbox's daemonized processes by them.
 */
export function inheritedSessionEnv(rockletEnv: Readonly<Record<string, string>>): Record<string, string> {
  return { ...rockletEnv };
}
