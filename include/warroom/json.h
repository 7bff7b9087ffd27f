/* SPDX-License-Identifier: MIT */
/* json.h - the little JSON writing warroom needs (reading JSON is done with SQLite's JSON functions). */
#ifndef WARROOM_JSON_H
#define WARROOM_JSON_H

#include "warroom/util.h"

/* The one JSON writer. Every string goes through wr_json_strn: valid UTF-8 out whatever came in (invalid
 * bytes become U+FFFD; the raw text in the database is never changed), and safe to print on a terminal: C0
 * and C1 controls, DEL, line/paragraph separators and invisible format characters (bidi controls,
 * zero-width characters, BOM, tags) are written as \uXXXX escapes, so a JSON reader gets the text back
 * unchanged (bar invalid bytes) while a terminal showing the output is never driven by it.
 * Members: wr_json_key writes "key": with a leading comma unless the object or array was just opened ('{' or
 * '[' is the last byte), so objects are built as b = "{", key, value, key, value, ..., "}". */
void wr_json_strn(wr_buf *b, const char *s, size_t len);
/* s as a string literal; NULL writes null. */
void wr_json_str(wr_buf *b, const char *s);
void wr_json_key(wr_buf *b, const char *key);
/* Convenience: ,"key":"value" / ,"key":123 / ,"key":VALUE */
void wr_json_kv_str(wr_buf *b, const char *key, const char *value);
void wr_json_kv_int(wr_buf *b, const char *key, long long value);
/* A JSON value that was serialised elsewhere (an event's payload, SQLite's JSON functions), written again
 * through this writer: the same structure, every string cleaned as above. Text that is not one JSON value
 * is written as a string, whole. NULL writes null. */
void wr_json_value(wr_buf *b, const char *json);
void wr_json_kv_value(wr_buf *b, const char *key, const char *json);
/* wr_json_value into a new string (caller frees). */
char *wr_json_rewrite(const char *json);

/* Documents. Every JSON document warroom prints is one object whose first member is "format": the version
 * of its shape (docs/json.md): it changes when a member changes meaning or goes away; members may be added
 * without a change. */
#define WR_JSON_FORMAT 1
/* Opens a document: {"format":1 (go on with wr_json_key ... and close with "}"). */
void wr_json_doc_begin(wr_buf *b);
/* A document from a value serialised elsewhere (written again through wr_json_value): with key,
 * {"format":1,"key":VALUE}; without, VALUE must be an object and its members follow "format". Ends with a
 * newline. */
void wr_json_doc(wr_buf *b, const char *key, const char *json);

#endif
