/* SPDX-License-Identifier: MIT */
/* schema.c - the event log's tables and the incident core's: the first part of migration 0 -> 1. The list of
 * migrations, with each module's parts, is assembled in src/model.c. Never edit a released migration: add a
 * new one. */
#include "store_int.h"

const char wr_schema_core_v1[] =
    "CREATE TABLE events("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  incident INTEGER,"
    "  occurred_at INTEGER NOT NULL,"
    "  recorded_at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  os_user TEXT NOT NULL,"
    "  origin TEXT NOT NULL DEFAULT '',"
    "  source TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  payload TEXT NOT NULL);"
    "CREATE INDEX events_incident ON events(incident, seq);"
    /* Current state: derived from events, rebuilt by wr_store_rebuild. */
    "CREATE TABLE incidents("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  severity TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  type TEXT NOT NULL DEFAULT '',"
    "  kind TEXT NOT NULL DEFAULT 'real',"
    "  summary TEXT NOT NULL DEFAULT '',"
    "  impact TEXT NOT NULL DEFAULT '',"
    "  decision TEXT NOT NULL DEFAULT '',"
    "  merged_into INTEGER NOT NULL DEFAULT 0,"
    "  declared_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  last_seq INTEGER NOT NULL);"
    "CREATE TABLE field_changes("
    "  incident INTEGER NOT NULL, field TEXT NOT NULL, seq INTEGER NOT NULL,"
    "  PRIMARY KEY (incident, field));"
    "CREATE TABLE roles("
    "  incident INTEGER NOT NULL, role TEXT NOT NULL, holder TEXT NOT NULL,"
    "  since INTEGER NOT NULL, assigned_by TEXT NOT NULL, seq INTEGER NOT NULL,"
    "  PRIMARY KEY (incident, role, holder));"
    "CREATE TABLE role_history("
    "  incident INTEGER NOT NULL, role TEXT NOT NULL, holder TEXT NOT NULL,"
    "  from_at INTEGER NOT NULL, to_at INTEGER, assigned_by TEXT NOT NULL, ended_by TEXT,"
    "  start_seq INTEGER NOT NULL, end_seq INTEGER);"
    "CREATE INDEX role_history_incident ON role_history(incident, role);"
    "CREATE TABLE pins(incident INTEGER NOT NULL, event_seq INTEGER NOT NULL, pinned_by TEXT NOT NULL,"
    "  PRIMARY KEY (incident, event_seq));";

/* 2 -> 3: the tamper-evident chain (store_chain.c). prev_hash is "" for the first event of a chain; NULL in
 * both only before the migration seals the events already there. */
/* 3 -> 4: evidence bytes (a command's output, a file) beside the event that records them, out of the events
 * table so that reading the timeline never reads them. The event's payload carries their hash. */
const char wr_schema_evidence_v4[] = "CREATE TABLE evidence(seq INTEGER PRIMARY KEY, bytes BLOB NOT NULL);";

const char wr_schema_chain_v3[] = "ALTER TABLE events ADD COLUMN prev_hash TEXT;"
                                  "ALTER TABLE events ADD COLUMN hash TEXT;";
