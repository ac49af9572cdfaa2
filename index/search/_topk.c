/* The exact top k of a BM25 query's postings lists, in one call that releases the GIL.
 *
 * `top(lists, k, block, work, out_ids, out_scores)`: each list is a term's postings as saved,
 * ids ascending (a list holds a document once): (docs, codes, tf by code, tf + K by code,
 * idf (k1 + 1), count, offset, escape positions, escape weights[, pid_map[, removed]]): int32 or
 * int64 ids plus `offset`, one byte a posting naming its pair, whose weight the kernel computes as
 * `PairWeigher.table` does (tf x idf (k1 + 1), then / (tf + K), in float32) times the query's
 * count of the term; the weights of the postings at the escape positions (ascending, within the
 * list), whose pairs the table does not hold (`index.search.pairs`); and for a segment with
 * removals either its `pid_map` (each saved id's live id, -1 when removed; the offset unused) or,
 * when they are few, its removed ids ascending (a live id is then the saved id plus the offset
 * less the removed ids below it): removed postings are skipped. 5 bytes a posting are read.
 * Each list's weights are added into a float32 accumulator in the lists' order, exactly the float32
 * additions of numpy's scatter (`BM25._top_scatter`): every document's sum starts at 0 and takes
 * its lists' weights in term order (a term split into several lists, a chain's segments, gives
 * each document's weight once). The k best of the documents met (ties: the lower id) are written
 * best first into out_ids (int64) and out_scores (float32); the count written is returned.
 *
 * Documents are scored a block at a time (ids b*B .. (b+1)*B-1, B = the block given): each list's
 * postings in the block, list after list, so a document still takes its weights in term order, and
 * the accumulator (B floats), the block's documents met (B uint32) and a bit per document (B bits)
 * stay in the caches whatever the corpus's size. `work` is that scratch (`WORK_BYTES`), one per
 * thread: its floats and bits zeroed by its owner once and left zeroed by every call (the uint32
 * are written before they are read).
 *
 * Compiled with -ffp-contract=off: a multiply then an add are never fused, so the sums are numpy's.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* The scratch of a block of B documents: B floats, B uint32 and B bits. */
#define WORK_BYTES(block) ((size_t)(block) * 8 + (size_t)(block) / 8)

typedef struct {
    /* A term's saved postings, ids (int32 or int64, plus offset) and one-byte pair
     * codes whose weight is table[code] (the term's table, count included), but for the escaped
     * postings (positions esc_at, ascending, within the list), weighed esc_w. */
    const int32_t *docs32;
    const int64_t *docs64;
    const uint8_t *codes;
    float table[256];
    int64_t offset;
    const int64_t *esc_at;
    const float *esc_w;
    Py_ssize_t n_esc, e; /* escapes, and the next one */
    const int64_t *pid_map; /* or NULL: a segment with removals maps its ids (-1: removed; offset unused) */
    Py_ssize_t n_pid;
    const int64_t *removed; /* or NULL: a segment's few removed ids, ascending: a live id is its saved id */
    Py_ssize_t n_removed, r; /* plus offset less the removed ids below it (r, a cursor: ids ascend) */
    Py_ssize_t n;
    Py_ssize_t at; /* the next posting to add */
} List;

static inline int64_t raw_at(const List *l, Py_ssize_t i) {
    return l->docs32 ? (int64_t)l->docs32[i] : l->docs64[i];
}

/* The live id of a list's posting i (a list with removals: settled first, so live). */
static inline int64_t id_at(const List *l, Py_ssize_t i) {
    return l->pid_map ? l->pid_map[raw_at(l, i)] : raw_at(l, i) + l->offset - l->r;
}

/* Whether a list's saved id is removed (0 when live; -1 outside the map). `removed`'s cursor moves
 * up to it. */
static inline int is_removed(List *l, int64_t raw) {
    if (l->pid_map) {
        if ((uint64_t)raw >= (uint64_t)l->n_pid)
            return -1;
        return l->pid_map[raw] < 0;
    }
    if (l->removed) {
        while (l->r < l->n_removed && l->removed[l->r] < raw)
            l->r++;
        return l->r < l->n_removed && l->removed[l->r] == raw;
    }
    return 0;
}

/* Past a list's removed postings at `at` (their escapes too); 0 if an id is outside its map. */
static inline int settle(List *l) {
    for (; l->at < l->n; l->at++) {
        const int gone = is_removed(l, raw_at(l, l->at));
        if (gone < 0)
            return 0;
        if (!gone)
            break;
        if (l->e < l->n_esc && l->esc_at[l->e] == l->at)
            l->e++;
    }
    return 1;
}

/* Add one document's weight: met for the first time in this block, it joins `met`. */
#define ADD(d, weight)                                                                                                 \
    do {                                                                                                               \
        const uint64_t bit_ = (uint64_t)1 << ((d) & 63);                                                               \
        if (!(seen[(d) >> 6] & bit_)) {                                                                                \
            seen[(d) >> 6] |= bit_;                                                                                    \
            met[(*n_met)++] = (d);                                                                                     \
        }                                                                                                              \
        acc[d] = acc[d] + (weight);                                                                                    \
    } while (0)

/* A coded list's postings below `end`: table[code], or an escaped posting's own weight. */
static inline __attribute__((always_inline)) int add_coded(List *list, int64_t start, int64_t end, Py_ssize_t block,
                                                             float *acc, uint32_t *met, uint64_t *seen,
                                                             Py_ssize_t *n_met, const int narrow) {
    const uint8_t *codes = list->codes;
    const float *table = list->table;
    const int64_t base = list->offset - start;
    Py_ssize_t i = list->at, e = list->e;
    Py_ssize_t next_escape = e < list->n_esc ? list->esc_at[e] : PY_SSIZE_T_MAX;
    for (; i < list->n; i++) {
        const int64_t id = (narrow ? (int64_t)list->docs32[i] : list->docs64[i]) + base;
        if (id >= end - start)
            break;
        if ((uint64_t)id >= (uint64_t)block)
            return 0;
        const uint32_t d = (uint32_t)id;
        float weight = table[codes[i]];
        if (i == next_escape) {
            weight = list->esc_w[e++];
            next_escape = e < list->n_esc ? list->esc_at[e] : PY_SSIZE_T_MAX;
        }
        ADD(d, weight);
    }
    list->at = i;
    list->e = e;
    return 1;
}

/* A list of a segment with removals in the block at `start`: each live id read from the
 * segment's map, or its saved id plus offset less the removed ids below it; removed postings
 * skipped (their escapes passed over). */
static int add_mapped(List *list, int64_t start, Py_ssize_t block, float *acc, uint32_t *met, uint64_t *seen,
                      Py_ssize_t *n_met) {
    const uint8_t *codes = list->codes;
    Py_ssize_t i = list->at, e = list->e;
    for (; i < list->n; i++) {
        const int64_t raw = raw_at(list, i);
        const int gone = is_removed(list, raw);
        if (gone < 0)
            return 0;
        const int escaped = e < list->n_esc && list->esc_at[e] == i;
        if (gone) {
            e += escaped;
            continue;
        }
        const int64_t id = (list->pid_map ? list->pid_map[raw] : raw + list->offset - list->r) - start;
        if (id >= block)
            break;
        if (id < 0) /* not ascending */
            return 0;
        const uint32_t d = (uint32_t)id;
        ADD(d, escaped ? list->esc_w[e++] : list->table[codes[i]]);
    }
    list->at = i;
    list->e = e;
    return 1;
}

/* a ranks below b: a lower score, or the same score and a higher id (numpy's lexsort order). */
static inline int worse(float av, int64_t aid, float bv, int64_t bid) {
    return av < bv || (av == bv && aid > bid);
}

/* Restore the heap (its worst entry at 0) below position i. */
static void sift_down(float *v, int64_t *id, Py_ssize_t n, Py_ssize_t i) {
    float cv = v[i];
    int64_t cid = id[i];
    for (;;) {
        Py_ssize_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && worse(v[child + 1], id[child + 1], v[child], id[child]))
            child++;
        if (!worse(v[child], id[child], cv, cid))
            break;
        v[i] = v[child];
        id[i] = id[child];
        i = child;
    }
    v[i] = cv;
    id[i] = cid;
}

static void sift_up(float *v, int64_t *id, Py_ssize_t i) {
    float cv = v[i];
    int64_t cid = id[i];
    while (i > 0) {
        Py_ssize_t parent = (i - 1) / 2;
        if (!worse(cv, cid, v[parent], id[parent]))
            break;
        v[i] = v[parent];
        id[i] = id[parent];
        i = parent;
    }
    v[i] = cv;
    id[i] = cid;
}

/* The scatter and the selection, without the GIL: returns how many of the k best were found, or -1
 * for ids that are not ascending and non-negative (the scratch then zeroed whole). */
static Py_ssize_t top_lists(List *lists, Py_ssize_t n_lists, Py_ssize_t k, Py_ssize_t block, char *work,
                            int64_t *out_ids, float *out_vals) {
    float *acc = (float *)work;
    uint32_t *met = (uint32_t *)(work + (size_t)block * 4);
    uint64_t *seen = (uint64_t *)(work + (size_t)block * 8);
    Py_ssize_t held = 0;
    for (;;) {
        int64_t next = INT64_MAX; /* the lowest id not yet added: its block is the next one */
        for (Py_ssize_t l = 0; l < n_lists; l++) {
            if (!settle(&lists[l])) {
                memset(work, 0, WORK_BYTES(block));
                return -1;
            }
            if (lists[l].at < lists[l].n && id_at(&lists[l], lists[l].at) < next)
                next = id_at(&lists[l], lists[l].at);
        }
        if (next == INT64_MAX)
            break;
        const int64_t start = next - next % block, end = start + block;
        Py_ssize_t n_met = 0;
        for (Py_ssize_t l = 0; l < n_lists; l++) {
            List *list = &lists[l];
            int ok;
            if (list->pid_map || list->removed)
                ok = add_mapped(list, start, block, acc, met, seen, &n_met);
            else if (list->docs32)
                ok = add_coded(list, start, end, block, acc, met, seen, &n_met, 1);
            else
                ok = add_coded(list, start, end, block, acc, met, seen, &n_met, 0);
            if (!ok) {
                memset(work, 0, WORK_BYTES(block));
                return -1;
            }
        }
        for (Py_ssize_t j = 0; j < n_met; j++) {
            const uint32_t d = met[j];
            const float v = acc[d];
            const int64_t id = start + d;
            acc[d] = 0.0f;
            seen[d >> 6] = 0;
            if (held < k) {
                out_vals[held] = v;
                out_ids[held] = id;
                sift_up(out_vals, out_ids, held++);
            } else if (worse(out_vals[0], out_ids[0], v, id)) {
                out_vals[0] = v;
                out_ids[0] = id;
                sift_down(out_vals, out_ids, held, 0);
            }
        }
    }
    /* Best first: pop the worst to the end, one at a time (heapsort, at most k log k). */
    for (Py_ssize_t n = held; n > 1; n--) {
        float v = out_vals[0];
        int64_t id = out_ids[0];
        out_vals[0] = out_vals[n - 1];
        out_ids[0] = out_ids[n - 1];
        out_vals[n - 1] = v;
        out_ids[n - 1] = id;
        sift_down(out_vals, out_ids, n - 1, 0);
    }
    return held;
}

/* A one-dimensional contiguous buffer whose items are of one of the struct formats `kinds` (one
 * character each: "lq" int64, "i" int32, "B" uint8, "f" float32). */
static int get_buffer(PyObject *obj, Py_buffer *view, const char *kinds, const char *what) {
    const int writable = strcmp(what, "work") == 0 || strncmp(what, "out", 3) == 0;
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    const char *fmt = view->format ? view->format : "B";
    if (*fmt == '@' || *fmt == '=' || *fmt == '<')
        fmt++;
    const Py_ssize_t size = *fmt == 'B' ? 1 : *fmt == 'i' || *fmt == 'f' ? 4 : 8;
    if (view->ndim > 1 || fmt[0] == 0 || fmt[1] != 0 || strchr(kinds, fmt[0]) == NULL || view->itemsize != size) {
        PyErr_Format(PyExc_TypeError, "%s: expected one dimension of items of format %s, not %s", what, kinds,
                     view->format ? view->format : "B");
        return -1;
    }
    return 0;
}

static PyObject *top(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "top(lists, k, block, work, out_ids, out_scores)");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(args[0], "lists must be a sequence");
    if (seq == NULL)
        return NULL;
    const Py_ssize_t k = PyLong_AsSsize_t(args[1]);
    const Py_ssize_t block = PyLong_AsSsize_t(args[2]);
    if (PyErr_Occurred()) {
        Py_DECREF(seq);
        return NULL;
    }
    const Py_ssize_t n_lists = PySequence_Fast_GET_SIZE(seq);
    Py_buffer work = {0}, out_ids = {0}, out_vals = {0};
    Py_buffer *views = PyMem_Calloc((size_t)(8 * n_lists + 1), sizeof(Py_buffer));
    List *lists = PyMem_Calloc((size_t)(n_lists + 1), sizeof(List));
    Py_ssize_t got = 0, held = -1;
    if (views == NULL || lists == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (block <= 0 || block % 64 || block > ((Py_ssize_t)1 << 31)) {
        PyErr_SetString(PyExc_ValueError, "block must be a positive multiple of 64 up to 2^31");
        goto done;
    }
    for (; got < n_lists; got++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, got);
        Py_buffer *v = &views[8 * got];
        List *list = &lists[got];
        PyObject *docs, *codes, *tf, *den, *esc_at, *esc_w;
        double scale;
        long count;
        long long offset;
        PyObject *pid_map = Py_None, *removed = Py_None;
        if (!PyArg_ParseTuple(item, "OOOOdlLOO|OO", &docs, &codes, &tf, &den, &scale, &count, &offset, &esc_at,
                              &esc_w, &pid_map, &removed) ||
            (pid_map != Py_None && get_buffer(pid_map, &v[6], "lq", "pid_map") < 0) ||
            (removed != Py_None && get_buffer(removed, &v[7], "lq", "removed") < 0) ||
            get_buffer(docs, &v[0], "ilq", "docs") < 0 || get_buffer(codes, &v[1], "B", "codes") < 0 ||
            get_buffer(tf, &v[2], "f", "tf") < 0 || get_buffer(den, &v[3], "f", "denominators") < 0 ||
            get_buffer(esc_at, &v[4], "lq", "escapes") < 0 || get_buffer(esc_w, &v[5], "f", "escape weights") < 0)
            goto done;
        list->n = v[1].len;
        if (v[0].len / v[0].itemsize != list->n || v[2].len != v[3].len || v[2].len > 256 * 4 ||
            v[4].len / 8 != v[5].len / 4 || offset < 0) {
            PyErr_SetString(PyExc_ValueError, "a coded list: as many docs as codes, tables of at most 256 "
                                              "floats, an escape weight each, an offset of at least 0");
            goto done;
        }
        /* PairWeigher.table's float32 arithmetic: tf x scale, then / (tf + K); then x count. */
        const float *tf_of = v[2].buf, *den_of = v[3].buf, fscale = (float)scale, fcount = (float)count;
        for (Py_ssize_t c = 0; c < v[2].len / 4; c++) {
            list->table[c] = tf_of[c] * fscale;
            list->table[c] /= den_of[c];
            if (count != 1)
                list->table[c] *= fcount;
        }
        if (v[0].itemsize == 4)
            list->docs32 = v[0].buf;
        else
            list->docs64 = v[0].buf;
        list->codes = v[1].buf;
        list->offset = offset;
        list->esc_at = v[4].buf;
        list->esc_w = v[5].buf;
        list->n_esc = v[4].len / 8;
        if (pid_map != Py_None) {
            list->pid_map = v[6].buf;
            list->n_pid = v[6].len / 8;
        } else if (removed != Py_None) {
            list->removed = v[7].buf;
            list->n_removed = v[7].len / 8;
        }
    }
    if (get_buffer(args[3], &work, "B", "work") < 0)
        goto done;
    if (work.len < (Py_ssize_t)WORK_BYTES(block)) {
        PyErr_SetString(PyExc_ValueError, "work holds fewer than 8 block + block / 8 bytes");
        goto done;
    }
    if (get_buffer(args[4], &out_ids, "lq", "out_ids") < 0 || get_buffer(args[5], &out_vals, "f", "out_scores") < 0)
        goto done;
    if (k < 0 || out_ids.len / 8 < k || out_vals.len / 4 < k) {
        PyErr_SetString(PyExc_ValueError, "k must be at least 0 and fit the outputs");
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS;
    held = k ? top_lists(lists, n_lists, k, block, work.buf, out_ids.buf, out_vals.buf) : 0;
    Py_END_ALLOW_THREADS;
    if (held < 0)
        PyErr_SetString(PyExc_ValueError, "a list's ids are not ascending and non-negative");
done:
    for (Py_ssize_t i = 0; views != NULL && i < 8 * n_lists; i++)
        if (views[i].obj)
            PyBuffer_Release(&views[i]);
    if (work.obj)
        PyBuffer_Release(&work);
    if (out_ids.obj)
        PyBuffer_Release(&out_ids);
    if (out_vals.obj)
        PyBuffer_Release(&out_vals);
    PyMem_Free(views);
    PyMem_Free(lists);
    Py_DECREF(seq);
    return held < 0 ? NULL : PyLong_FromSsize_t(held);
}

static PyMethodDef methods[] = {
    {"top", (PyCFunction)(void (*)(void))top, METH_FASTCALL,
     "top(lists, k, block, work, out_ids, out_scores) -> n: the k best documents of (ids, weights, count) lists."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_topk", "BM25's scatter and top k, without the GIL.",
                                    -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__topk(void) { return PyModule_Create(&module); }
