/** The user's chat history: `GET /api/chats`, `GET /api/chats/:id`, `DELETE /api/chats/:id`. */
import { z } from 'zod';
import { findUserChat, listChats, readChat } from '../../chats/read';
import { stopChatAnswers } from '../../answer/turn';
import { deleteChat } from '../../chats/store';
import type { AppDeps, DocentHono } from '../context';
import { notFound, quotedId } from '../errors';
import { readQuery, wholeNumberParam } from '../validate';

const listQuery = z.object({
  limit: wholeNumberParam('limit', 1, 100).default(50),
  offset: wholeNumberParam('offset', 0).default(0),
});

const chatNotFound = (id: string) => notFound(`No chat ${quotedId(id)} among your chats.`);

export function registerChatsRoutes(app: DocentHono, deps: AppDeps): void {
  const { db } = deps;

  /** `{ chats: [{ id, clientId, title, createdAt, updatedAt, messageCount }] }`, most recent first. */
  app.get('/api/chats', async (c) => {
    const query = readQuery(c, listQuery);
    const user = c.get('auth').user;
    return c.json({ chats: user ? await listChats(db, user.id, query) : [] });
  });

  /** One chat (by server id or client id) with its messages, sources, scores, status and feedback. */
  app.get('/api/chats/:id', async (c) => {
    const id = c.req.param('id');
    const user = c.get('auth').user;
    const chat = user ? await readChat(db, user.id, id) : undefined;
    if (!chat) throw chatNotFound(id);
    return c.json(chat);
  });

  app.delete('/api/chats/:id', async (c) => {
    const id = c.req.param('id');
    const user = c.get('auth').user;
    const chat = user ? await findUserChat(db, user.id, id) : undefined;
    if (!chat || !(await deleteChat(db, user!.id, chat.id))) throw chatNotFound(id);
    // An answer still being written would go to waste: stop it (the model stops writing too).
    stopChatAnswers(chat.id);
    // Its answers' feedback went with it.
    deps.statsCache.invalidate();
    return c.json({ deleted: true, id: chat.id });
  });
}
