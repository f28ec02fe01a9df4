// The conversations service: the chat's conversations, kept in the ledger's database.
import type { ConversationsService } from '../../../shared/contract';
import type { ServiceParts } from './service-parts';

export function createConversationsService({ ledger }: Pick<ServiceParts, 'ledger'>): ConversationsService {
  return {
    list: async () => ledger.conversations.list(),
    get: async (id: string) => (await ledger.conversations.get(id)) ?? null,
    remove: async (id: string) => ledger.conversations.remove(id),
    rename: async (id: string, title: string) => ledger.conversations.rename(id, title),
    truncate: async (id: string, keep: number) => ledger.conversations.truncate(id, keep),
    search: async (query: string) => ledger.conversations.search(query),
    put: async (conversation) => ledger.conversations.put(conversation),
    setOptions: async (id: string, options) => ledger.conversations.setOptions(id, options),
  };
}
