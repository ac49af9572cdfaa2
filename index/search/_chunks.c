/* The build's per-sentence tokenising step (`build._process`) in one call a body: each sentence's
 * whitespace chunks (`str.split()`, or `tokens.raw_chunks`) looked up in a `TermTable`'s chunk ids.
 *
 * `chunk_ids(text, rows, table, backticks) -> (ids, counts, missing)`: for each row of `rows`
 * (tuples whose first two items are a sentence's start and end in `text`), the sentence's chunks
 * are the runs of non-`Py_UNICODE_ISSPACE` characters (what `str.split()` gives); with
 * `backticks` true (a non-ASCII body), a sentence that is not ASCII and holds a backtick reads
 * each as an apostrophe (`raw_chunks`). Each chunk's id is `table[chunk]` (an int), else -1 and
 * `(position, chunk)` is appended to `missing` (positions count the body's chunks from 0).
 * `ids` (int64, every chunk's id in order) and `counts` (int64, each sentence's number of chunks)
 * are bytes in the machine's order. Linear: each character is read once.
 *
 * The chunks found in `table` are remembered here too (`Seen`: a hash of the chunk's code points,
 * its id and the chunk), so a chunk seen before is found without making a Python string of it
 * and hashing that: `table` is a `TermTable`'s, whose entries are only ever added (never changed
 * or removed; a reset is a new dict), so what was found in it stays true while it is the table
 * given. Another table (or a smaller one: something was removed) empties the memo.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    int64_t *at;
    Py_ssize_t n, cap;
} Ints;

static int push(Ints *v, int64_t x) {
    if (v->n == v->cap) {
        Py_ssize_t cap = v->cap ? 2 * v->cap : 256;
        int64_t *grown = PyMem_Realloc(v->at, (size_t)cap * sizeof(int64_t));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        v->at = grown, v->cap = cap;
    }
    v->at[v->n++] = x;
    return 0;
}

/* The chunks found in the table, by the FNV-1a hash of their code points (open addressing). */
typedef struct {
    uint64_t hash;
    int64_t id;
    PyObject *chunk; /* NULL: an empty slot */
} Slot;

static struct {
    PyObject *table; /* the dict the slots were found in (a strong reference) */
    Py_ssize_t table_size;
    Slot *slots;
    size_t mask, used;
} seen = {NULL, 0, NULL, 0, 0};

static void forget(void) {
    for (size_t i = 0; seen.slots != NULL && i <= seen.mask; i++)
        Py_XDECREF(seen.slots[i].chunk);
    PyMem_Free(seen.slots);
    seen.slots = NULL, seen.mask = 0, seen.used = 0;
    Py_CLEAR(seen.table);
}

/* Remember `chunk` (a new reference, taken) as `id`. -1: out of memory. */
static int remember(uint64_t hash, int64_t id, PyObject *chunk) {
    if (2 * (seen.used + 1) > seen.mask + 1) { /* past half full (or none yet): twice the slots */
        size_t size = seen.slots ? 2 * (seen.mask + 1) : 4096;
        Slot *grown = PyMem_Calloc(size, sizeof(Slot));
        if (grown == NULL) {
            Py_DECREF(chunk);
            PyErr_NoMemory();
            return -1;
        }
        for (size_t i = 0; seen.slots != NULL && i <= seen.mask; i++) {
            if (seen.slots[i].chunk == NULL)
                continue;
            size_t at = (size_t)seen.slots[i].hash & (size - 1);
            while (grown[at].chunk != NULL)
                at = (at + 1) & (size - 1);
            grown[at] = seen.slots[i];
        }
        PyMem_Free(seen.slots);
        seen.slots = grown, seen.mask = size - 1;
    }
    size_t at = (size_t)hash & seen.mask;
    while (seen.slots[at].chunk != NULL)
        at = (at + 1) & seen.mask;
    seen.slots[at].hash = hash, seen.slots[at].id = id, seen.slots[at].chunk = chunk;
    seen.used++;
    return 0;
}

/* Looks `chunk` (a new reference, taken) up: its id pushed (and remembered by `hash`), or -1 and
 * (position, chunk) into missing. */
static int look_up(PyObject *chunk, uint64_t hash, PyObject *table, Ints *ids, PyObject *missing) {
    if (chunk == NULL)
        return -1;
    PyObject *found = PyDict_GetItemWithError(table, chunk); /* borrowed */
    int64_t id = -1;
    int failed = 0;
    if (found != NULL) {
        id = PyLong_AsLongLong(found);
        failed = id == -1 && PyErr_Occurred();
        if (!failed) {
            if (push(ids, id) < 0) {
                Py_DECREF(chunk);
                return -1;
            }
            return remember(hash, id, chunk);
        }
    } else if (PyErr_Occurred()) {
        failed = 1;
    } else {
        PyObject *miss = Py_BuildValue("(nO)", ids->n, chunk);
        failed = miss == NULL || PyList_Append(missing, miss) < 0;
        Py_XDECREF(miss);
    }
    Py_DECREF(chunk);
    return failed || push(ids, id) < 0 ? -1 : 0;
}

static inline __attribute__((always_inline)) int split_rows(int kind, const void *data, Py_ssize_t n, PyObject *text,
                                                            PyObject *rows, PyObject *table, int backticks, Ints *ids,
                                                            Ints *counts, PyObject *missing) {
    Py_ssize_t rows_n = PyList_GET_SIZE(rows);
    for (Py_ssize_t r = 0; r < rows_n; r++) {
        PyObject *row = PyList_GET_ITEM(rows, r);
        if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) < 2) {
            PyErr_SetString(PyExc_TypeError, "chunk_ids: a row is a tuple (start, end, ...)");
            return -1;
        }
        Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(row, 0));
        Py_ssize_t end = PyLong_AsSsize_t(PyTuple_GET_ITEM(row, 1));
        if (PyErr_Occurred())
            return -1;
        if (start < 0 || end > n || start > end) {
            PyErr_SetString(PyExc_ValueError, "chunk_ids: a row outside the text");
            return -1;
        }
        int swap = 0; /* raw_chunks: a non-ASCII sentence of a non-ASCII body reads ` as ' */
        if (backticks && kind != PyUnicode_1BYTE_KIND) {
            int has_tick = 0, wide = 0;
            for (Py_ssize_t i = start; i < end && !(has_tick && wide); i++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, i);
                has_tick |= c == '`';
                wide |= c > 0x7f;
            }
            swap = has_tick && wide;
        } else if (backticks) {
            const Py_UCS1 *s = (const Py_UCS1 *)data;
            int has_tick = memchr(s + start, '`', (size_t)(end - start)) != NULL, wide = 0;
            for (Py_ssize_t i = start; has_tick && i < end && !wide; i++)
                wide = s[i] > 0x7f;
            swap = has_tick && wide;
        }
        Py_ssize_t before = ids->n, i = start;
        while (1) {
            while (i < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
                i++;
            if (i == end)
                break;
            Py_ssize_t from = i;
            uint64_t hash = 0xcbf29ce484222325u; /* FNV-1a over the chunk's code points (` as ' when swapped) */
            while (i < end) {
                Py_UCS4 c = PyUnicode_READ(kind, data, i);
                if (Py_UNICODE_ISSPACE(c))
                    break;
                hash = (hash ^ (swap && c == '`' ? '\'' : c)) * 0x100000001b3u;
                i++;
            }
            if (seen.slots != NULL) { /* remembered: no Python string made */
                size_t at = (size_t)hash & seen.mask;
                Slot *slot = NULL;
                for (; seen.slots[at].chunk != NULL; at = (at + 1) & seen.mask) {
                    Slot *candidate = &seen.slots[at];
                    if (candidate->hash != hash || PyUnicode_GET_LENGTH(candidate->chunk) != i - from)
                        continue;
                    int ckind = PyUnicode_KIND(candidate->chunk);
                    const void *cdata = PyUnicode_DATA(candidate->chunk);
                    Py_ssize_t k = 0;
                    for (; k < i - from; k++) {
                        Py_UCS4 c = PyUnicode_READ(kind, data, from + k);
                        if ((swap && c == '`' ? '\'' : c) != PyUnicode_READ(ckind, cdata, k))
                            break;
                    }
                    if (k == i - from) {
                        slot = candidate;
                        break;
                    }
                }
                if (slot != NULL) {
                    if (push(ids, slot->id) < 0)
                        return -1;
                    continue;
                }
            }
            PyObject *chunk = PyUnicode_Substring(text, from, i);
            if (swap && chunk != NULL && PyUnicode_FindChar(chunk, '`', 0, i - from, 1) >= 0) {
                static PyObject *tick = NULL, *apostrophe = NULL;
                if (tick == NULL && ((tick = PyUnicode_FromString("`")) == NULL ||
                                     (apostrophe = PyUnicode_FromString("'")) == NULL)) {
                    Py_CLEAR(tick);
                    Py_DECREF(chunk);
                    return -1;
                }
                PyObject *swapped = PyUnicode_Replace(chunk, tick, apostrophe, -1);
                Py_DECREF(chunk);
                chunk = swapped;
            }
            if (look_up(chunk, hash, table, ids, missing) < 0)
                return -1;
        }
        if (push(counts, ids->n - before) < 0)
            return -1;
    }
    return 0;
}

static PyObject *chunk_ids(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 4 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1]) || !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "chunk_ids(text: str, rows: list, table: dict, backticks: bool)");
        return NULL;
    }
    PyObject *text = args[0], *rows = args[1], *table = args[2];
    int backticks = PyObject_IsTrue(args[3]);
    if (backticks < 0 || PyUnicode_READY(text) < 0)
        return NULL;
    if (table != seen.table || PyDict_GET_SIZE(table) < seen.table_size) { /* another table: forget */
        forget();
        Py_INCREF(table);
        seen.table = table;
    }
    PyObject *missing = PyList_New(0);
    if (missing == NULL)
        return NULL;
    Ints ids = {NULL, 0, 0}, counts = {NULL, 0, 0};
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int failed;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        failed = split_rows(PyUnicode_1BYTE_KIND, data, n, text, rows, table, backticks, &ids, &counts, missing);
        break;
    case PyUnicode_2BYTE_KIND:
        failed = split_rows(PyUnicode_2BYTE_KIND, data, n, text, rows, table, backticks, &ids, &counts, missing);
        break;
    default:
        failed = split_rows(PyUnicode_4BYTE_KIND, data, n, text, rows, table, backticks, &ids, &counts, missing);
    }
    PyObject *out = NULL;
    if (!failed)
        out = Py_BuildValue("(y#y#O)", ids.at ? (const char *)ids.at : "", ids.n * (Py_ssize_t)sizeof(int64_t),
                            counts.at ? (const char *)counts.at : "", counts.n * (Py_ssize_t)sizeof(int64_t), missing);
    PyMem_Free(ids.at);
    PyMem_Free(counts.at);
    Py_DECREF(missing);
    seen.table_size = PyDict_GET_SIZE(table);
    return out;
}

static PyMethodDef methods[] = {
    {"chunk_ids", (PyCFunction)(void (*)(void))chunk_ids, METH_FASTCALL,
     "chunk_ids(text, rows, table, backticks) -> (ids, counts, missing): each sentence's chunks' ids."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_chunks", "The build's sentence chunks, looked up.",
                                    -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__chunks(void) { return PyModule_Create(&module); }
