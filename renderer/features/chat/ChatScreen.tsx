// The chat screen: conversations on the left; pick a model, talk to it, watch the reply stream in
// with who answered and what it cost. A container: it owns the feature's store and hands plain
// props to the components.
import { useEffect, useState, type CSSProperties } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppContract } from '../../../shared/contract';
import { useChanges } from '../../lib/changes';
import { chatDefaultsStore, FALLBACK_CHAT_DEFAULTS, loadChatDefaults } from '../../lib/chat-defaults';
import { BudgetWarning } from '../../ui/BudgetWarning';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNote } from '../../ui/ErrorNote';
import { ModelPicker } from '../../ui/ModelPicker';
import { NextStep } from '../../ui/NextStep';
import { Toast } from '../../ui/Toast';
import { createChatStore, type ChatStore } from './chat-store';
import { createEngineConversations, createMemoryConversations } from './chat-repositories';
import type { ConversationRepository } from './chat-types';
import { ChatOptions } from './components/ChatOptions';
import { Composer } from './components/Composer';
import { ConversationList } from './components/ConversationList';
import { MessageList } from './components/MessageList';
import { seedFromUrl } from './dev-seed';
import './chat.css';

interface Props {
  client: AppContract;
  /** Where conversations are kept; the engine's storage unless given. */
  repository?: ConversationRepository;
}

/** The benchmark's `?dev-seed-conversation=N` seeds an in-memory repository (never the user's storage). */
const wantsSeed = () => new URL(window.location.href).searchParams.has('dev-seed-conversation');

/**
 * The messages, or what to do before the first one: the part of the screen that re-renders as a reply
 * streams in (each token changes `entries`, which nothing else here reads).
 */
function ChatMessages({ store }: { store: ChatStore }) {
  const s = useStore(
    store,
    useShallow((st) => ({
      entries: st.entries,
      activeId: st.activeId,
      streaming: st.streaming,
      noModels: st.modelsStatus === 'ready' && st.models.length === 0,
      regenerate: st.regenerate,
      editAndResend: st.editAndResend,
    })),
  );
  if (s.entries.length === 0)
    return (
      <div className="chat-empty">
        {s.noModels ? (
          <EmptyState title="Add a provider to start chatting">
            Switchboard sends your messages with your own provider keys. Add a provider (a key and a minute) and its models appear here.
            <NextStep href="#providers">Add a provider</NextStep>
          </EmptyState>
        ) : (
          <EmptyState title="Start a conversation">
            Messages go through your own provider keys. Every reply shows who answered, the tokens it used and what it cost.
          </EmptyState>
        )}
      </div>
    );
  return (
    <MessageList
      entries={s.entries}
      conversationKey={s.activeId ?? 'new'}
      streaming={s.streaming}
      onRegenerate={s.regenerate}
      onEditAndResend={s.editAndResend}
    />
  );
}

/** The composer: typing changes only this part. */
function ChatComposer({ store }: { store: ChatStore }) {
  const s = useStore(
    store,
    useShallow((st) => ({
      draft: st.draft,
      attachments: st.attachments,
      model: st.model,
      streaming: st.streaming,
      attach: st.attach,
      detach: st.detach,
      setDraft: st.setDraft,
      send: st.send,
      stop: st.stop,
    })),
  );
  const canSend = (s.draft.trim().length > 0 || s.attachments.length > 0) && s.model !== '';
  return (
    <div className="chat-composer">
      <Composer
        draft={s.draft}
        streaming={s.streaming}
        canSend={canSend}
        attachments={s.attachments}
        onAttach={s.attach}
        onDetach={s.detach}
        onDraft={s.setDraft}
        onSend={() => void s.send()}
        onStop={s.stop}
      />
    </div>
  );
}

export function ChatScreen({ client, repository }: Props) {
  const [seeded] = useState(() => !repository && wantsSeed());
  const [repo] = useState(() => repository ?? (seeded ? createMemoryConversations() : createEngineConversations(client)));
  const [store] = useState(() => createChatStore(client, repo));
  // Everything but the messages and the draft (ChatMessages and ChatComposer read those), so neither a
  // streaming reply nor typing re-renders the conversation list, the toolbar and the rest.
  const state = useStore(
    store,
    useShallow(({ entries, draft: _draft, attachments: _attachments, ...rest }) => ({ ...rest, hasEntries: entries.length > 0 })),
  );
  const defaults = useStore(chatDefaultsStore, (s) => s.defaults);
  const [optionsOpen, setOptionsOpen] = useState(false);

  useEffect(() => {
    const s = store.getState();
    void s.loadModels();
    void (async () => {
      // The seam the benchmark uses: seed the in-memory repository (never an engine-backed one).
      if (seeded) await seedFromUrl(repo, window.location.href);
      await s.loadConversations();
    })();
    // Settings may change the defaults later: the store follows (a chat not yet started takes them).
    loadChatDefaults(client).catch(() => {});
    // A delete or clear still waiting for its undo toast is done when the page goes.
    const onHide = () => void store.getState().commitPending();
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, [store, repo, seeded, client]);

  useEffect(() => {
    if (defaults) store.getState().applyDefaults(defaults);
  }, [store, defaults]);

  // Providers and routes added anywhere reach the model picker at once, without a reload.
  const modelsChanged = useChanges(client, ['providers', 'routes']);
  useEffect(() => {
    if (modelsChanged > 0) void store.getState().loadModels();
  }, [store, modelsChanged]);

  const fontSize = (defaults ?? FALLBACK_CHAT_DEFAULTS).fontSize;
  const pending = state.pending;

  return (
    <div className="chat-layout">
      <ConversationList
        conversations={state.conversations}
        activeId={state.activeId}
        disabled={state.streaming}
        query={state.query}
        onSearch={(q) => void state.searchConversations(q)}
        onNew={state.newConversation}
        onOpen={(id) => void state.openConversation(id)}
        onRename={(id, title) => void state.renameConversation(id, title)}
        onDelete={(id) => void state.deleteConversation(id)}
      />
      <section className="chat" aria-label="Chat" style={{ '--chat-font-size': `${fontSize}px` } as CSSProperties}>
        <header className="toolbar chat-toolbar">
          <h1 className="toolbar-title">Chat</h1>
          <ModelPicker models={state.models} value={state.model} disabled={state.streaming} onChange={state.selectModel} />
          <div className="toolbar-spacer" />
          <Button variant="ghost" aria-expanded={optionsOpen} aria-controls="chat-options" onClick={() => setOptionsOpen((o) => !o)}>
            Options
          </Button>
          <Button
            variant="ghost"
            onClick={() => void state.clear()}
            disabled={state.streaming || !state.hasEntries}
            title="Remove every message of this conversation (undoable)"
          >
            Clear
          </Button>
        </header>

        {optionsOpen && (
          <ChatOptions
            id="chat-options"
            conversationKey={state.activeId ?? 'new'}
            systemPrompt={state.systemPrompt}
            temperature={state.temperature}
            reasoningEffort={state.reasoningEffort}
            disabled={state.streaming}
            onChange={state.setOptions}
            onSave={() => void state.saveOptions()}
            onEffort={state.setReasoningEffort}
          />
        )}

        {state.modelsStatus === 'error' && (
          <div className="chat-banner">
            <ErrorNote
              action={
                <Button variant="ghost" onClick={() => void state.loadModels()}>
                  Retry
                </Button>
              }
            >
              Could not load models: {state.modelsError}
            </ErrorNote>
          </div>
        )}

        {state.budgetWarning && (
          <div className="chat-banner">
            <BudgetWarning message={state.budgetWarning} onDismiss={state.dismissWarning} />
          </div>
        )}

        <ChatMessages store={store} />
        <ChatComposer store={store} />

        {pending && (
          <Toast
            message={pending.kind === 'delete' ? `Deleted “${pending.title}”.` : `Cleared “${pending.title}”.`}
            actionLabel="Undo"
            onAction={state.undo}
            onDismiss={() => void state.commitPending()}
            focusAction={pending.kind === 'delete'}
          />
        )}
      </section>
    </div>
  );
}
