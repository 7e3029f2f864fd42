/**
 * A DOM-free XML well-formedness check for the exported SVG: one root, balanced and properly
 * nested tags, quoted attributes without duplicates, only the five predefined entities or
 * numeric references, no stray '<' or '&'. Returns element counts by tag name.
 */
export interface XmlInfo { root: string; counts: Record<string, number>; attrs: Array<{ tag: string; attrs: Record<string, string> }> }

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;

function checkText(s: string, where: number): void {
  const amp = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(s);
  if (amp) throw new Error(`bad '&' at ${where + amp.index}`);
  if (s.includes('<')) throw new Error(`stray '<' at ${where}`);
}

export function checkXml(xml: string): XmlInfo {
  let i = 0;
  if (xml.startsWith('<?xml')) { i = xml.indexOf('?>') + 2; if (i < 2) throw new Error('unterminated XML declaration'); }
  const stack: string[] = [];
  const counts: Record<string, number> = {};
  const all: XmlInfo['attrs'] = [];
  let root = '';
  let closedRoot = false;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textPart = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && textPart.trim() !== '') throw new Error(`text outside the root at ${i}`);
    checkText(textPart, i);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) { const e = xml.indexOf('-->', lt); if (e < 0) throw new Error('unterminated comment'); i = e + 3; continue; }
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error(`unterminated tag at ${lt}`);
    let tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}> at ${lt}`);
      if (stack.length === 0) closedRoot = true;
      i = gt + 1;
      continue;
    }
    const selfClosing = tag.endsWith('/');
    if (selfClosing) tag = tag.slice(0, -1);
    const m = NAME.exec(tag);
    if (!m) throw new Error(`bad tag name at ${lt}`);
    const name = m[0];
    if (stack.length === 0) { if (closedRoot || root) throw new Error('more than one root element'); root = name; }
    let rest = tag.slice(name.length);
    const attrs: Record<string, string> = {};
    const ATTR = /^\s+([A-Za-z_:][-A-Za-z0-9_:.]*)="([^"<]*)"/;
    for (;;) {
      const a = ATTR.exec(rest);
      if (!a) break;
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      checkText(a[2], lt);
      attrs[a[1]] = a[2];
      rest = rest.slice(a[0].length);
    }
    if (rest.trim() !== '') throw new Error(`malformed attributes on <${name}>: "${rest.slice(0, 40)}"`);
    counts[name] = (counts[name] ?? 0) + 1;
    all.push({ tag: name, attrs });
    if (selfClosing) { if (stack.length === 0) closedRoot = true; } else stack.push(name);
    i = gt + 1;
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (!root) throw new Error('no root element');
  return { root, counts, attrs: all };
}
