// The Responses API's tools on a Chat Completions upstream: function tools pass as they are, `namespace`
// groups are flattened into function tools (and their calls split back into name + namespace), and
// hosted tools, which only OpenAI's own servers run, are dropped and named instead of refused.
import { createHash } from 'node:crypto';

type Json = Record<string, any>;

/** A request the port cannot translate: its message is for the client (a 400). */
export class TranslationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TranslationError';
  }
}

/** The name a model calls, and the namespace the client registered it under (none for plain tools). */
export interface ToolRef {
  name: string;
  namespace?: string;
}

export interface ToolPlan {
  /** Chat Completions tools, namespaces flattened. */
  tools: Json[];
  /** Types of the hosted tools left out (`web_search`, `file_search`, …), in request order. */
  dropped: string[];
  /** The flat chat name for a call of `name` in `namespace` (a history item, a forced tool choice). */
  flatName(name: string, namespace?: string): string;
  /** The client's name and namespace for a chat call named `flat`. */
  refOf(flat: string): ToolRef;
}

// Chat Completions function names: what OpenAI accepts, and so what every compatible server accepts.
const NAME_OK = /^[A-Za-z0-9_-]{1,64}$/;

/** Codex's own convention for a namespaced tool's flat name: `ns__name`, stray underscores at the seam trimmed. */
function joinName(namespace: string, name: string): string {
  const joined = `${namespace.replace(/_+$/, '')}__${name.replace(/^_+/, '')}`;
  return NAME_OK.test(joined) ? joined : hashedName(namespace, name);
}

/** For a name too long, with characters a chat name cannot hold, or taken: a readable prefix and a hash. */
function hashedName(namespace: string, name: string): string {
  const hash = createHash('sha256').update(`${namespace}\0${name}`).digest('hex').slice(0, 10);
  return `${`${namespace}__${name}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 53)}_${hash}`;
}

const refKey = (name: string, namespace?: string): string => (namespace === undefined ? name : `${namespace}\0${name}`);

function functionTool(t: Json, name: string, description: unknown): Json {
  return {
    type: 'function',
    function: {
      name,
      description,
      parameters: t.parameters ?? { type: 'object', properties: {} },
      ...(t.strict !== undefined && t.strict !== null ? { strict: t.strict } : {}),
    },
  };
}

function namedFunction(t: Json, where: string): string {
  if (t?.type !== 'function')
    throw new TranslationError(`${where}: tool type "${String(t?.type)}" is not supported through the port (only function tools)`);
  if (typeof t.name !== 'string' || !t.name) throw new TranslationError(`${where}: a function tool needs a \`name\``);
  return t.name;
}

/**
 * Tools the client runs itself but that are not function tools (freeform `custom` tools with a grammar,
 * OpenAI's built-in shell, patch and computer tools): refused, not dropped, since the client's agent
 * would silently lose what it acts with. Every other non-function type is hosted: OpenAI runs it.
 */
const CLIENT_TOOLS = new Set(['custom', 'local_shell', 'shell', 'apply_patch', 'computer', 'computer_use_preview']);

/** Plans the chat tools for a Responses request's `tools`. Throws TranslationError with a client-facing message. */
export function planTools(tools: unknown): ToolPlan {
  if (tools !== undefined && tools !== null && !Array.isArray(tools)) throw new TranslationError('`tools` must be an array');
  const out: Json[] = [];
  const dropped: string[] = [];
  const byFlat = new Map<string, ToolRef>();
  const byRef = new Map<string, string>();
  const add = (t: Json, ref: ToolRef, description: unknown) => {
    let flat = ref.namespace === undefined ? ref.name : joinName(ref.namespace, ref.name);
    // A flattened name that collides with another tool's gets the hashed form.
    if (ref.namespace !== undefined && byFlat.has(flat)) flat = hashedName(ref.namespace, ref.name);
    byFlat.set(flat, ref);
    byRef.set(refKey(ref.name, ref.namespace), flat);
    out.push(functionTool(t, flat, description));
  };
  // Plain functions first, so a namespaced tool never takes a plain tool's own name.
  const list = ((tools ?? []) as Json[]).map((t, i) => ({ t, i }));
  for (const { t, i } of list) {
    if (t?.type === 'function') add(t, { name: namedFunction(t, `tools[${i}]`) }, t.description);
  }
  for (const { t, i } of list) {
    const type = t?.type;
    if (type === 'function') continue;
    if (type === 'namespace') {
      if (typeof t.name !== 'string' || !t.name) throw new TranslationError(`tools[${i}]: a namespace needs a \`name\``);
      if (!Array.isArray(t.tools)) throw new TranslationError(`tools[${i}]: a namespace needs a \`tools\` array`);
      for (const [j, inner] of (t.tools as Json[]).entries()) {
        const name = namedFunction(inner, `tools[${i}].tools[${j}]`);
        // The group's description is the only place the model learns what the namespace is for.
        const description = [t.description, inner.description].filter((d) => typeof d === 'string' && d).join('\n\n') || undefined;
        add(inner, { name, namespace: t.name }, description);
      }
    } else if (typeof type !== 'string' || !type || CLIENT_TOOLS.has(type)) {
      throw new TranslationError(
        `tools[${i}]: tool type "${String(type)}" is not supported through the port (function and namespace tools are; hosted tools are dropped)`,
      );
    } else {
      dropped.push(type);
    }
  }
  return {
    tools: out,
    dropped,
    flatName: (name, namespace) => byRef.get(refKey(name, namespace)) ?? (namespace ? joinName(namespace, name) : name),
    refOf: (flat) => byFlat.get(flat) ?? { name: flat },
  };
}

const PLANS = new WeakMap<object, ToolPlan>();

/** The plan for one request's tools, made once and shared by the request and answer translations. */
export function toolPlan(request: Json): ToolPlan {
  let plan = PLANS.get(request);
  if (!plan) PLANS.set(request, (plan = planTools(request.tools)));
  return plan;
}

/** Responses `tool_choice` -> chat `tool_choice` (undefined: leave it out). */
export function chatToolChoice(choice: unknown, plan: ToolPlan): unknown {
  // Chat Completions refuses a tool_choice without tools (every offered tool may have been hosted).
  if (plan.tools.length === 0) return undefined;
  if (typeof choice === 'string') return choice;
  const c = choice as Json | null | undefined;
  if (c?.type === 'function' && typeof c.name === 'string')
    return { type: 'function', function: { name: plan.flatName(c.name, typeof c.namespace === 'string' ? c.namespace : undefined) } };
  // A hosted tool forced (`{ type: 'web_search' }`) or an allowed-tools list: the model chooses.
  return undefined;
}

/** What the request log says about the parts of a Responses request no chat target can serve. */
export function responsesNotes(request: Json, plan: ToolPlan): string[] {
  const notes = plan.dropped.map(
    (type) => `hosted tool ${type} dropped: /v1/responses is served through Chat Completions, which runs no hosted tools`,
  );
  if (Array.isArray(request.include) && request.include.includes('reasoning.encrypted_content')) {
    notes.push('include reasoning.encrypted_content omitted: a translated target produces no encrypted reasoning');
  }
  return notes;
}
