/* The exact top k of a BM25 query's weighed postings lists, in one call that releases the GIL.
 *
 * `top(lists, k, work, out_ids, out_scores)`: `lists` is a sequence of (ids, weights, count) with
 * ids int64 ascending (a list holds a document once), weights float32 and count the query's count
 * of the term. Each list's weights (times count, in float32) are added into a float32 accumulator
 * in the lists' order, exactly the float32 additions of numpy's scatter (`BM25._top_scatter`):
 * every document's sum starts at 0 and takes its lists' weights in term order. The k best of the
 * documents met (ties: the lower id) are written best first into out_ids (int64) and out_scores
 * (float32); the count written is returned.
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
    const int64_t *ids;
    const float *weights;
    Py_ssize_t n;
    Py_ssize_t at; /* the next posting to add */
    float count;
    int repeated; /* count != 1: weights multiplied by it */
} List;

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
        for (Py_ssize_t l = 0; l < n_lists; l++)
            if (lists[l].at < lists[l].n && lists[l].ids[lists[l].at] < next)
                next = lists[l].ids[lists[l].at];
        if (next == INT64_MAX)
            break;
        const int64_t start = next - next % block, end = start + block;
        Py_ssize_t n_met = 0;
        for (Py_ssize_t l = 0; l < n_lists; l++) {
            List *list = &lists[l];
            const int64_t *ids = list->ids;
            const float *w = list->weights;
            Py_ssize_t i = list->at;
            for (; i < list->n && ids[i] < end; i++) {
                if ((uint64_t)(ids[i] - start) >= (uint64_t)block) { /* not ascending, or negative */
                    memset(work, 0, WORK_BYTES(block));
                    return -1;
                }
                const uint32_t d = (uint32_t)(ids[i] - start);
                const uint64_t bit = (uint64_t)1 << (d & 63);
                const float weight = list->repeated ? w[i] * list->count : w[i];
                if (!(seen[d >> 6] & bit)) {
                    seen[d >> 6] |= bit;
                    met[n_met++] = d;
                }
                acc[d] = acc[d] + weight;
            }
            list->at = i;
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

static int get_buffer(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t itemsize, const char *what) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    if (view->itemsize != itemsize || view->ndim > 1) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_TypeError, "%s: expected one dimension of %zd-byte items", what, itemsize);
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
    Py_buffer *views = PyMem_Calloc((size_t)(2 * n_lists + 1), sizeof(Py_buffer));
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
        PyObject *ids, *weights;
        long count;
        if (!PyArg_ParseTuple(item, "OOl", &ids, &weights, &count))
            goto done;
        if (get_buffer(ids, &views[2 * got], 0, 8, "ids") < 0)
            goto done;
        if (get_buffer(weights, &views[2 * got + 1], 0, 4, "weights") < 0) {
            PyBuffer_Release(&views[2 * got]);
            goto done;
        }
        const char *fmt = views[2 * got + 1].format;
        if (views[2 * got].len / 8 != views[2 * got + 1].len / 4 || fmt == NULL || strcmp(fmt, "f") != 0) {
            PyBuffer_Release(&views[2 * got]);
            PyBuffer_Release(&views[2 * got + 1]);
            PyErr_SetString(PyExc_TypeError, "each list: int64 ids and as many float32 weights");
            goto done;
        }
        lists[got] = (List){views[2 * got].buf, views[2 * got + 1].buf, views[2 * got].len / 8, 0, (float)count,
                            count != 1};
    }
    if (get_buffer(args[3], &work, 1, 1, "work") < 0)
        goto done;
    if (work.len < (Py_ssize_t)WORK_BYTES(block)) {
        PyErr_SetString(PyExc_ValueError, "work holds fewer than 8 block + block / 8 bytes");
        goto done;
    }
    if (get_buffer(args[4], &out_ids, 1, 8, "out_ids") < 0 || get_buffer(args[5], &out_vals, 1, 4, "out_scores") < 0)
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
    for (Py_ssize_t i = 0; i < 2 * got; i++)
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
                                    -1, methods};

PyMODINIT_FUNC PyInit__topk(void) { return PyModule_Create(&module); }
