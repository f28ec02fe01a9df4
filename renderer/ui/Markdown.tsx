// Renders a reply as GitHub-flavoured markdown with highlighted code and a copy button per code
// block. Highlighting is class-based (highlight.js grammars via lib/rehype-code): no inline scripts, so it
// runs under the strict CSP. While streaming, finished blocks are memoised and only the last block
// is parsed again, which keeps long and parallel streams cheap.
import { isValidElement, memo, useMemo, useRef, useState, type ComponentPropsWithoutRef } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { splitBlocks } from '../lib/markdown-blocks';
import { rehypeCode } from '../lib/rehype-code';
import { CheckIcon, CopyIcon } from './Icons';

function CodeBlock({ node: _node, ...props }: ComponentPropsWithoutRef<'pre'> & { node?: unknown }) {
  // `node` (react-markdown's syntax-tree node) is not an attribute: it would be written into the DOM.
  const ref = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    const text = ref.current?.querySelector('code')?.textContent ?? ref.current?.textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  const child = props.children;
  const codeClass = isValidElement<{ className?: string }>(child) ? (child.props.className ?? '') : '';
  const language = /language-([\w+-]+)/.exec(codeClass)?.[1];
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span className="code-block-lang">{language ?? 'code'}</span>
        <button type="button" className="code-copy" onClick={() => void copy()} aria-label={copied ? 'Copied' : 'Copy code'}>
          {copied ? <CheckIcon /> : <CopyIcon />}
          <span>{copied ? 'Copied' : 'Copy'}</span>
        </button>
      </div>
      {/* Focusable: a long line scrolls sideways, and the keyboard must be able to scroll it too. */}
      <pre ref={ref} tabIndex={0} {...props} />
    </div>
  );
}

function ExternalLink(props: ComponentPropsWithoutRef<'a'>) {
  // Links from a model open outside the app (the shell denies in-app navigation).
  return <a {...props} target="_blank" rel="noreferrer noopener" />;
}

const components: Components = { pre: CodeBlock, a: ExternalLink };
const remarkPlugins = [remarkGfm];
const rehypePlugins = [rehypeCode];

// Each block is its own box with content-visibility: auto, so blocks scrolled out of view cost no
// layout or paint while a long reply keeps growing.
const Block = memo(function Block({ text }: { text: string }) {
  return (
    <div className="md-block">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});

export function Markdown({ text, className }: { text: string; className?: string }) {
  const blocks = useMemo(() => splitBlocks(text), [text]);
  return (
    <div className={['markdown', className].filter(Boolean).join(' ')}>
      {blocks.map((block, i) => (
        <Block key={i} text={block} />
      ))}
    </div>
  );
}
