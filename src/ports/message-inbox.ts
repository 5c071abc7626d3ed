/** The durable inbox of inbound messages (PostgreSQL or PGlite in src/store), as the core sees it. */

/** A place in the inbox's order (received time, then id), for reading it page by page. */
export interface InboxCursor {
  readonly receivedAt: Date;
  readonly id: string;
}

export interface MessageInbox {
  /** Messages received and not yet processed, oldest first, after `after`, at most `limit`. */
  unfinished(limit: number, after?: InboxCursor): Promise<InboxCursor[]>;
}
