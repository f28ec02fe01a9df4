// The chat screen: pick a model, talk to it, watch the reply stream in with what it cost.
// A container: it owns the feature's store and hands plain props to the components.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { AppContract } from '../../../shared/contract';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNote } from '../../ui/ErrorNote';
import { createChatStore } from './chat-store';
import { Composer } from './components/Composer';
import { MessageList } from './components/MessageList';
import { ModelPicker } from './components/ModelPicker';

export function ChatScreen({ client }: { client: AppContract }) {
  const [store] = useState(() => createChatStore(client));
  const state = useStore(store);

  useEffect(() => {
    void store.getState().loadModels();
  }, [store]);

  const canSend = state.draft.trim().length > 0 && state.model !== '';

  return (
    <section className="chat" aria-label="Chat">
      <header className="chat-toolbar">
        <ModelPicker models={state.models} value={state.model} disabled={state.streaming} onChange={state.selectModel} />
        <div className="chat-toolbar-spacer" />
        <Button variant="ghost" onClick={state.clear} disabled={state.streaming || state.entries.length === 0} aria-label="New chat">
          New chat
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
        <MessageList entries={state.entries} />
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
  );
}
