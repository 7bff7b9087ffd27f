/* json.h - the little JSON writing warroom needs (reading JSON is done with SQLite's JSON functions). */
#ifndef WARROOM_JSON_H
#define WARROOM_JSON_H

#include "warroom/util.h"

/* Append s as a JSON string literal (quotes included); control characters are escaped, other bytes are
 * kept as they are (text is stored raw and cleaned when drawn). NULL writes null. */
void wr_json_str(wr_buf *b, const char *s);
/* Append "key": with a leading comma unless the object was just opened ('{' is the last byte). */
void wr_json_key(wr_buf *b, const char *key);
/* Convenience: ,"key":"value" / ,"key":123 */
void wr_json_kv_str(wr_buf *b, const char *key, const char *value);
void wr_json_kv_int(wr_buf *b, const char *key, long long value);
/* Like wr_json_str, but also safe to print on a terminal: C0 and C1 controls, DEL, line/paragraph separators
 * and invisible format characters (bidi controls, zero-width characters, BOM, tags) are written as \uXXXX
 * escapes, and invalid UTF-8 becomes U+FFFD. A JSON reader gets the text back unchanged (bar invalid bytes). */
void wr_json_str_safe(wr_buf *b, const char *s);
void wr_json_kv_safe(wr_buf *b, const char *key, const char *value);

#endif
