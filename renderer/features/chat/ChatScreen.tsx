// The chat screen: conversations on the left; pick a model, talk to it, watch the reply stream in
// with who answered and what it cost. A container: it owns the feature's store and hands plain
// props to the components.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { AppContract } from '../../../shared/contract';
import { createMemoryRepository } from '../../lib/repository';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNote } from '../../ui/ErrorNote';
import { createChatStore } from './chat-store';
import { summarise, type ConversationRepository } from './chat-types';
import { Composer } from './components/Composer';
import { ConversationList } from './components/ConversationList';
import { MessageList } from './components/MessageList';
import { ModelPicker } from './components/ModelPicker';
import { seedFromUrl } from './dev-seed';

interface Props {
  client: AppContract;
  /** Where conversations are kept; in memory unless given (wave B passes the engine-backed one). */
  repository?: ConversationRepository;
}

export function ChatScreen({ client, repository }: Props) {
  const [repo] = useState(() => repository ?? createMemoryRepository(summarise));
  const [store] = useState(() => createChatStore(client, repo));
  const state = useStore(store);

  useEffect(() => {
    const s = store.getState();
    void s.loadModels();
    void (async () => {
      // The seam the benchmark uses: seed the in-memory repository (never an engine-backed one).
      if (!repository) await seedFromUrl(repo, window.location.href);
      await s.loadConversations();
    })();
  }, [store, repo, repository]);

  const canSend = state.draft.trim().length > 0 && state.model !== '';

  return (
    <div className="chat-layout">
      <ConversationList
        conversations={state.conversations}
        activeId={state.activeId}
        disabled={state.streaming}
        onNew={state.newConversation}
        onOpen={(id) => void state.openConversation(id)}
        onRename={(id, title) => void state.renameConversation(id, title)}
        onDelete={(id) => void state.deleteConversation(id)}
      />
      <section className="chat" aria-label="Chat">
        <header className="toolbar">
          <h1 className="toolbar-title">Chat</h1>
          <ModelPicker models={state.models} value={state.model} disabled={state.streaming} onChange={state.selectModel} />
          <div className="toolbar-spacer" />
          <Button variant="ghost" onClick={state.clear} disabled={state.streaming || state.entries.length === 0} aria-label="New chat">
            Clear
          </Button>
        </header>

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

        {state.entries.length === 0 ? (
          <div className="chat-empty">
            <EmptyState title="Start a conversation">
              {state.modelsStatus === 'ready' && state.models.length === 0
                ? 'No providers or routes are configured yet.'
                : 'Messages go through your own provider keys. Every reply shows who answered, the tokens it used and what it cost.'}
            </EmptyState>
          </div>
        ) : (
          <MessageList
            entries={state.entries}
            conversationKey={state.activeId ?? 'new'}
            streaming={state.streaming}
            onRegenerate={state.regenerate}
            onEditAndResend={state.editAndResend}
          />
        )}

        <div className="chat-composer">
          <Composer
            draft={state.draft}
            streaming={state.streaming}
            canSend={canSend}
            onDraft={state.setDraft}
            onSend={() => void state.send()}
            onStop={state.stop}
          />
        </div>
      </section>
    </div>
  );
}
