/**
 * The engine on the SQLite file: the seen index is a table of its own (one row per item, written
 * only when the item is new or refreshed), and a run's commit — reading the seen rows of its items,
 * checking its fencing token, writing the rows, the history and the state parts — is one
 * `BEGIN IMMEDIATE` transaction, so it is atomic against any other process using the file.
 * keyv values (history, state, token) are written in keyv's own format into its table.
 */
import type Database from 'better-sqlite3';
import { parseSeenRecord, type ItemRecord } from './item-record.js';
import { parseStoredText } from './json-codec.js';
import type { SqliteKeyvStore } from './sqlite-keyv-store.js';
import { createWriteBatch } from './sqlite-write-batch.js';
import {
  COMMIT_PRUNE_LIMIT,
  encodeSeen,
  fenceKey,
  type CommitPlanner,
  type KeyvWrite,
  type StoreEngine,
} from './store-engine.js';

/** Builds the engine over the adapter's database, for keyv namespace `namespace`. */
export function createSqliteEngine(adapter: SqliteKeyvStore, namespace: string): StoreEngine {
  const db = adapter.database;
  db.exec(
    'CREATE TABLE IF NOT EXISTS seen (ns TEXT NOT NULL, source TEXT NOT NULL, id TEXT NOT NULL, expires INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (ns, source, id)) WITHOUT ROWID',
  );
  db.exec('CREATE INDEX IF NOT EXISTS seen_expires ON seen (ns, expires)');
  const sql = prepare(db);
  const key = (k: string) => `${namespace}:${k}`;
  const where = (sourceId: string, id: string) => `seen ${sourceId}/${id} (SQLite table seen)`;

  // The token is read and bumped inside SQLite (json_extract, one upsert): the same `{"value":n}` row
  // keyv writes, without a parse and a serialisation in JavaScript per call.
  const token = (sourceId: string): number => Number(sql.getToken.get(key(fenceKey(sourceId))) ?? 0);
  const readSeen = (sourceId: string, ids: readonly string[], nowMs: number): Map<string, ItemRecord> => {
    const found = new Map<string, ItemRecord>();
    if (ids.length === 0) return found;
    const rows = sql.readSeen.all(namespace, sourceId, JSON.stringify(ids)) as Array<{ id: string; record: string }>;
    for (const row of rows) {
      const record = parseSeenRecord(row.record, where(sourceId, row.id), sourceId, row.id);
      if (Date.parse(record.expiresAt) > nowMs) found.set(row.id, record);
    }
    return found;
  };
  const writeValues = (writes: readonly KeyvWrite[], nowMs: number): void => {
    for (const write of writes) {
      const expires = write.ttl !== undefined && write.ttl > 0 ? nowMs + write.ttl : null;
      const text = JSON.stringify(expires === null ? { value: write.value } : { value: write.value, expires });
      sql.setValue.run(key(write.key), text, expires);
    }
  };
  // The rows keyv would read, decoded as keyv does, without its await per value: loading a source's
  // state through keyv.getMany cost about twice the SQL.
  const readValues = (keys: readonly string[], nowMs: number): unknown[] => {
    if (keys.length === 0) return [];
    const full = keys.map(key);
    // A run's few state parts through a statement of placeholders (no JSON text to build and walk);
    // the site rebuild's thousands through json_each. Raw rows: [key, value, expires].
    const rows = (
      full.length <= FEW_KEYS ? valuesStatement(full.length).all(full) : sql.getValues.all(JSON.stringify(full))
    ) as ValueRowTuple[];
    const byKey = new Map(rows.map((row) => [row[0], row]));
    return full.map((k) => {
      const row = byKey.get(k);
      if (row === undefined || (row[2] !== null && row[2] <= nowMs)) return undefined;
      return (parseStoredText(row[1]) as { value?: unknown } | null)?.value;
    });
  };
  const fewKeyStatements = new Map<number, Database.Statement>();
  const valuesStatement = (count: number): Database.Statement => {
    let statement = fewKeyStatements.get(count);
    if (statement === undefined) {
      const marks = Array.from({ length: count }, () => '?').join(', ');
      statement = db.prepare(`SELECT key, value, expires FROM keyv WHERE key IN (${marks})`).raw(true);
      fewKeyStatements.set(count, statement);
    }
    return statement;
  };
  const upsertSeen = (records: readonly ItemRecord[], statement: Database.Statement): void => {
    for (const record of records) {
      statement.run(namespace, record.sourceId, record.id, Date.parse(record.expiresAt), encodeSeen(record));
    }
  };

  // The bump and then a read, not one statement with RETURNING: SQLite runs an upsert with RETURNING
  // through a temporary table, which cost ~50 µs of CPU a claim against ~22 µs for the two.
  const takeToken = (sourceId: string): number => {
    const fence = key(fenceKey(sourceId));
    sql.bumpToken.run(fence);
    return Number(sql.getToken.get(fence));
  };
  // Runs' claims and confirming writes, each atomic, committed together per event-loop turn.
  const batched = createWriteBatch(db);
  const write = (sourceId: string, fence: number | undefined, writes: KeyvWrite[]): boolean => {
    if (fence !== undefined && token(sourceId) !== fence) return false;
    writeValues(writes, Date.now());
    return true;
  };
  // Built once: better-sqlite3 wraps a function in four transaction variants each time it is asked.
  const commit = db.transaction(
    (
      sourceId: string,
      fence: number | undefined,
      ids: readonly string[],
      nowMs: number,
      plan: CommitPlanner<unknown>,
    ) => {
      if (fence !== undefined && token(sourceId) !== fence) return undefined;
      const { batch, result } = plan(readSeen(sourceId, ids, nowMs));
      upsertSeen(batch.seen, sql.upsertSeen);
      writeValues(batch.writes, Date.now());
      const old = sql.findExpired.all(namespace, nowMs, COMMIT_PRUNE_LIMIT) as Array<{ source: string; id: string }>;
      for (const row of old) sql.deleteSeen.run(namespace, row.source, row.id);
      return { result };
    },
  );
  const importSeen = db.transaction((records: readonly ItemRecord[]) => upsertSeen(records, sql.insertSeenIfAbsent));

  return {
    claim: (sourceId) => batched(() => takeToken(sourceId)),
    // The state parts read in the claim's transaction: a read of its own was a read transaction
    // (its locks and file checks) and another store call.
    claimAndRead: (sourceId, keys) =>
      batched(() => {
        return { fence: takeToken(sourceId), values: readValues(keys, Date.now()) };
      }),
    peek: async (sourceId) => token(sourceId),
    readSeen: async (sourceId, ids, nowMs) => readSeen(sourceId, ids, nowMs),
    commit: async <T>(
      sourceId: string,
      fence: number | undefined,
      ids: readonly string[],
      nowMs: number,
      plan: CommitPlanner<T>,
    ) => commit.immediate(sourceId, fence, ids, nowMs, plan) as { result: T } | undefined,
    write: (sourceId, fence, writes) => batched(() => write(sourceId, fence, writes)),
    importSeen: async (_sourceId, records) => void importSeen.immediate(records),
    // One statement for the whole namespace: every source with seen rows is in it.
    prune: async (_sourceIds, nowMs) => sql.prune.run(namespace, nowMs).changes,
    clear: async () => void sql.clear.run(namespace),
    readValues: async (keys) => readValues(keys, Date.now()),
  };
}

// --- Internal helpers ---

/** A keyv row as read raw: key, serialized value, expiry (epoch ms, null for none). */
type ValueRowTuple = [key: string, value: string, expires: number | null];

/** Up to this many keys are read with a statement of placeholders; more through json_each (one JSON text). */
const FEW_KEYS = 32;

function prepare(db: Database.Database) {
  return {
    // Tokens never expire. A value keyv would not have written (no JSON) fails these with SQLite's
    // "malformed JSON", as the parse failed before.
    getToken: db.prepare("SELECT json_extract(value, '$.value') FROM keyv WHERE key = ?").pluck(true),
    bumpToken: db.prepare(
      `INSERT INTO keyv (key, value, expires) VALUES (?, '{"value":1}', NULL) ON CONFLICT(key) DO UPDATE ` +
        `SET value = json_object('value', coalesce(json_extract(value, '$.value'), 0) + 1), expires = NULL`,
    ),
    getValues: db
      .prepare('SELECT key, value, expires FROM keyv WHERE key IN (SELECT value FROM json_each(?))')
      .raw(true),
    setValue: db.prepare(
      'INSERT INTO keyv (key, value, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires',
    ),
    // Expiry is checked on the records: a condition on `expires` here makes SQLite pick the expiry
    // index and scan every live row of the namespace.
    readSeen: db.prepare(
      'SELECT id, record FROM seen WHERE ns = ? AND source = ? AND id IN (SELECT value FROM json_each(?))',
    ),
    upsertSeen: db.prepare(
      'INSERT INTO seen (ns, source, id, expires, record) VALUES (?, ?, ?, ?, ?) ON CONFLICT (ns, source, id) DO UPDATE SET expires = excluded.expires, record = excluded.record',
    ),
    insertSeenIfAbsent: db.prepare(
      'INSERT OR IGNORE INTO seen (ns, source, id, expires, record) VALUES (?, ?, ?, ?, ?)',
    ),
    findExpired: db.prepare('SELECT source, id FROM seen WHERE ns = ? AND expires <= ? LIMIT ?'),
    deleteSeen: db.prepare('DELETE FROM seen WHERE ns = ? AND source = ? AND id = ?'),
    prune: db.prepare('DELETE FROM seen WHERE ns = ? AND expires <= ?'),
    clear: db.prepare('DELETE FROM seen WHERE ns = ?'),
  };
}
