// A few helpers to build the page from code. Text always goes in as text
// (never as HTML), so nothing a contract, a wallet or the indexer says can
// become markup.

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | EventListener>;

/// `<tag attributes>children</tag>`: `on*` attributes are listeners, `true`
/// sets a flag attribute, `false` and `undefined` leave it out.
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, ...children);
  return element;
}

/// Appends `children`, strings as text.
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/// Replaces what `parent` holds with `children`.
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

/// A labelled input: `<label>text <input></label>`.
export function field(text: string, input: HTMLElement, hint?: string): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', {}, text), input, hint ? h('small', {}, hint) : null);
}

/// A note for the reader: `info`, `warning` or `error`.
export function note(kind: 'info' | 'warning' | 'error', ...children: Child[]): HTMLElement {
  return h('p', { class: `note ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

/// The message of anything thrown.
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
