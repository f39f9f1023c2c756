import Handlebars from 'handlebars';

type Node = { type: string; loc?: { start: { line: number } } | null };
type Path = Node & { type: 'PathExpression'; data: boolean; depth: number; parts: string[]; original: string };
type Call = Node & { path: Node; params: Node[]; hash?: { pairs: Array<{ value: Node }> } | null };
type Program = Node & { body: Node[]; blockParams?: string[] | null };

/** One template to check: where it comes from (a file path, or the option that holds it) and its text. */
export interface TemplateSource {
  origin: string;
  text: string;
}

export interface Registered {
  partials: ReadonlySet<string>;
  helpers: ReadonlySet<string>;
}

/**
 * Every partial a template includes and every helper it calls that is not registered, found by
 * walking the parsed template. Handlebars itself only notices at render time (a missing partial
 * throws on the first request that reaches it; a missing helper throws or, with a hash only,
 * silently renders nothing), so the kit asks at start-up instead.
 *
 * A helper call is what Handlebars resolves as one: a mustache, block or sub-expression with
 * parameters or a hash whose name is a single plain identifier (not `this.x`, `../x`, `@x`, `a.b`)
 * and not a block parameter. `{{name}}` alone may be a plain value and is never reported.
 * A partial block (`{{#> name}}fallback{{/name}}`) counts too: its fallback would hide a typo.
 */
export function missingNames(source: TemplateSource, registered: Registered): string[] {
  let ast: Program;
  try {
    ast = Handlebars.parse(source.text);
  } catch (err) {
    return [`${source.origin}: cannot be parsed: ${(err as Error).message.split('\n')[0]}`];
  }
  const problems: string[] = [];
  const inline = new Set<string>();
  const scopes: Array<readonly string[]> = [];
  const at = (node: Node) => (node.loc ? ` (line ${node.loc.start.line})` : '');
  const report = (node: Node, text: string) => {
    const line = `${source.origin}${at(node)}: ${text}`;
    if (!problems.includes(line)) problems.push(line);
  };

  // Inline partials ({{#*inline "name"}}) are registered by the template itself.
  const collectInline = (node: Node): void => {
    const n = node as Call & Program & { program?: Program; inverse?: Program };
    if (node.type === 'DecoratorBlock' && isPath(n.path) && n.path.original === 'inline') {
      const first: (Node & { value?: unknown }) | undefined = n.params[0];
      if (first?.type === 'StringLiteral') inline.add(String(first.value));
    }
    for (const child of [...(n.body ?? []), ...(n.program ? [n.program] : []), ...(n.inverse ? [n.inverse] : [])]) collectInline(child);
  };
  collectInline(ast);

  const isBlockParam = (name: string) => scopes.some((s) => s.includes(name));

  function expression(node: Node | undefined | null): void {
    if (!node) return;
    if (node.type === 'SubExpression') call(node as Call, true);
  }

  function call(node: Call, isCall: boolean): void {
    const hasArguments = isCall || node.params.length > 0 || Boolean(node.hash);
    const path = node.path;
    if (hasArguments && isPath(path) && isHelperName(path) && !isBlockParam(path.parts[0]!) && !registered.helpers.has(path.parts[0]!)) {
      report(node, `calls the helper "${path.parts[0]}", which is not registered (add it to handlebars.helpers)`);
    }
    for (const p of node.params) expression(p);
    for (const pair of node.hash?.pairs ?? []) expression(pair.value);
  }

  function partial(node: Call & { name: Node }): void {
    const name = node.name;
    if (isPath(name)) {
      if (!name.data && !registered.partials.has(name.original) && !inline.has(name.original)) {
        report(node, `includes the partial "${name.original}", which is not registered (add it to handlebars.partials)`);
      }
    } else {
      expression(name); // a dynamic partial, {{> (whichOne) }}: its name is known only at render time
    }
    for (const p of node.params) expression(p);
    for (const pair of node.hash?.pairs ?? []) expression(pair.value);
  }

  function program(node: Program | null | undefined): void {
    if (!node) return;
    const params = node.blockParams ?? [];
    if (params.length) scopes.push(params);
    for (const statement of node.body) visit(statement);
    if (params.length) scopes.pop();
  }

  function visit(node: Node): void {
    switch (node.type) {
      case 'MustacheStatement':
        call(node as Call, false);
        break;
      case 'BlockStatement':
        call(node as Call, false);
        program((node as { program?: Program }).program);
        program((node as { inverse?: Program }).inverse);
        break;
      case 'PartialStatement':
        partial(node as Call & { name: Node });
        break;
      case 'PartialBlockStatement':
        partial(node as Call & { name: Node });
        program((node as { program?: Program }).program);
        break;
      case 'DecoratorBlock':
        program((node as { program?: Program }).program);
        break;
      default:
        break;
    }
  }

  program(ast);
  return problems;
}

function isPath(node: Node): node is Path {
  return node.type === 'PathExpression';
}

/** As Handlebars decides: one part, not scoped (`this`, `./`), no depth (`../`), not data (`@`). */
function isHelperName(path: Path): boolean {
  return path.parts.length === 1 && !path.data && path.depth === 0 && !/^\.|this\b/.test(path.original);
}
