/**
 * What a new session inherits from the rocklet's own environment (already without `ROCKLET_*`,
 * which holds the token). ROCK: with `env_enable` the shell gets a copy of the agent's
 * environment, without it the shell starts from the request's `env` alone (which the read service
 * fills with the sandbox's create-time env). Without `env_enable` three things are still kept:
 * - `PATH`, so commands resolve as in the image (bash's built-in default would hide e.g. a
 *   conda or venv bin directory the image puts first, and a child would see no PATH at all);
 * - `HOME`, so a local-runtime sandbox keeps its own home instead of the host user's;
 * - `ROCK_*`: the local runtime finds and stops a sandbox's daemonized processes by these markers.
 */
export function inheritedSessionEnv(rockletEnv: Readonly<Record<string, string>>, envEnable: boolean): Record<string, string> {
  if (envEnable) return { ...rockletEnv };
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(rockletEnv)) {
    if (name === 'PATH' || name === 'HOME' || name.startsWith('ROCK_')) kept[name] = value;
  }
  return kept;
}
