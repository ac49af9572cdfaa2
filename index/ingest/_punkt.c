/* Punkt's candidate loop (`RememberingPunkt.spans`) in one call: the spans nltk's
 * `PunktSentenceTokenizer.span_tokenize` gives, the decisions left to Python.
 *
 * `spans(text, breaks, decide) -> [(start, end), ...]` (and `spans(text, breaks, decide, offset,
 * paragraph)`: `sentences.sentence_rows`' rows of the spans that are not blank):
 * - the candidates are the matches of nltk's period-context pattern as `re` (or `regex`) finds
 *   them: a mark in MARKS, then either a NON_WORD character (the context's after token) or a
 *   run of `\s` then a run of `\S` (the after token ends with it; the next sentence would start
 *   at it). `\s` is `Py_UNICODE_ISSPACE` (what `re` reads) less U+001C-U+001F (what `regex`
 *   reads, and the Python path reads a text holding one of those four with `regex`: a text
 *   holding none reads the same either way);
 * - the word before a candidate starts after the last `string.whitespace` character since the
 *   previous candidate's mark (nltk's `_match_potential_end_contexts`), and a candidate whose
 *   word overlaps the next one's is not decided;
 * - a context (word, mark, after token: one slice of the text) is looked up in `breaks`, and
 *   `decide(context)` (which remembers it) is called only on a miss; a break cuts a slice;
 * - nltk's realignment (`_realign_boundaries`): a next slice starting with a run of CLOSERS
 *   followed (lazily, at the first closer that allows it) by `\s+`, `--` or the slice's end
 *   gives the closers to the sentence before.
 * Every character is read a bounded number of times (each whitespace run and token by at most
 * the candidate before it; the reverse search for a word's start stops at the previous mark;
 * a token is in at most two contexts): linear in the text. `work()` returns (and zeroes) the
 * characters read since its last call, for the test that says so.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The character classes of nltk's patterns (tested against them over every code point). */
#define MARKS ".?!"
#define NON_WORD ")\";}]*:@'({[\u2018\u2019\u201c\u201d\u00ab\u00bb!?"
#define CLOSERS "\"')]}\u2018\u2019\u201c\u201d\u00ab\u00bb"

static Py_ssize_t work_done = 0;

static inline int is_mark(Py_UCS4 c) { return c == '.' || c == '?' || c == '!'; }

static inline int is_quote(Py_UCS4 c) {
    return c == 0x2018 || c == 0x2019 || c == 0x201c || c == 0x201d || c == 0xab || c == 0xbb;
}

static inline int is_non_word(Py_UCS4 c) {
    switch (c) {
    case ')': case '"': case ';': case '}': case ']': case '*': case ':': case '@':
    case '\'': case '(': case '{': case '[': case '!': case '?':
        return 1;
    default:
        return c > 0x7f && is_quote(c);
    }
}

static inline int is_closer(Py_UCS4 c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || (c > 0x7f && is_quote(c));
}

/* `\s` of the patterns: `regex`'s (`re`'s less U+001C-U+001F). */
static inline int is_space(Py_UCS4 c) { return Py_UNICODE_ISSPACE(c) && !(c >= 0x1c && c <= 0x1f); }

/* `string.whitespace`, nltk's `_get_last_whitespace_index`. */
static inline int is_ascii_space(Py_UCS4 c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

typedef struct {
    Py_ssize_t start, stop;
} Slice;

typedef struct {
    Slice *at;
    Py_ssize_t n, cap;
} Slices;

static int push(Slices *s, Py_ssize_t start, Py_ssize_t stop) {
    if (s->n == s->cap) {
        Py_ssize_t cap = s->cap ? 2 * s->cap : 16;
        Slice *grown = PyMem_Realloc(s->at, (size_t)cap * sizeof(Slice));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        s->at = grown, s->cap = cap;
    }
    s->at[s->n].start = start, s->at[s->n].stop = stop;
    s->n++;
    return 0;
}

/* Whether `context` (text[start:stop]) is a break: its remembered decision, else `decide`'s. -1: an error. */
static int is_break(PyObject *text, Py_ssize_t start, Py_ssize_t stop, PyObject *breaks, PyObject *decide) {
    PyObject *context = PyUnicode_Substring(text, start, stop);
    if (context == NULL)
        return -1;
    work_done += stop - start;
    PyObject *found = PyDict_GetItemWithError(breaks, context); /* borrowed */
    int answer;
    if (found != NULL) {
        answer = PyObject_IsTrue(found);
    } else if (PyErr_Occurred()) {
        answer = -1;
    } else {
        PyObject *decided = PyObject_CallOneArg(decide, context);
        answer = decided == NULL ? -1 : PyObject_IsTrue(decided);
        Py_XDECREF(decided);
    }
    Py_DECREF(context);
    return answer;
}

/* A candidate decided (its context is [word_start, after)): a break ends a slice at the mark
 * (`at`) and the next one starts at the token after it (`next`), or after the mark. -1 on error. */
static inline __attribute__((always_inline)) int settle(PyObject *text, Py_ssize_t word_start, Py_ssize_t at,
                                                        Py_ssize_t after, Py_ssize_t next, PyObject *breaks,
                                                        PyObject *decide, Slices *out, Py_ssize_t *last_break) {
    int found = is_break(text, word_start, after, breaks, decide);
    if (found <= 0)
        return found;
    if (push(out, *last_break, at + 1) < 0)
        return -1;
    *last_break = next >= 0 ? next : at + 1;
    return 0;
}

/* nltk's `_slices_from_text` over `_match_potential_end_contexts`. */
static inline __attribute__((always_inline)) int cut(int kind, const void *data, Py_ssize_t n, PyObject *text,
                                                     PyObject *breaks, PyObject *decide, Slices *out) {
    Py_ssize_t last_break = 0, word_start = 0, word_stop = 0;
    int have_previous = 0;
    Py_ssize_t previous_at = 0, previous_after = 0, previous_next = -1;
    for (Py_ssize_t i = 0; i + 1 < n; i++) {
        if (!is_mark(PyUnicode_READ(kind, data, i)))
            continue;
        Py_UCS4 c = PyUnicode_READ(kind, data, i + 1);
        Py_ssize_t after, next;
        if (is_non_word(c)) {
            after = i + 2, next = -1;
        } else if (is_space(c)) {
            Py_ssize_t j = i + 2;
            while (j < n && is_space(PyUnicode_READ(kind, data, j)))
                j++;
            work_done += j - i;
            if (j == n)
                continue; /* whitespace to the end: no token after it, no match */
            Py_ssize_t k = j + 1;
            while (k < n && !is_space(PyUnicode_READ(kind, data, k)))
                k++;
            work_done += k - j;
            after = k, next = j;
        } else {
            continue;
        }
        /* The word before the mark: after the last string.whitespace character in [word_stop, i). */
        Py_ssize_t p = i - 1;
        while (p >= word_stop && !is_ascii_space(PyUnicode_READ(kind, data, p)))
            p--;
        work_done += i - p;
        Py_ssize_t start = p > word_stop ? p + 1 : word_start;
        if (have_previous && word_stop <= start &&
            settle(text, word_start, previous_at, previous_after, previous_next, breaks, decide, out, &last_break) < 0)
            return -1;
        have_previous = 1;
        previous_at = i, previous_after = after, previous_next = next;
        word_start = start, word_stop = i;
    }
    work_done += n;
    if (have_previous &&
        settle(text, word_start, previous_at, previous_after, previous_next, breaks, decide, out, &last_break) < 0)
        return -1;
    Py_ssize_t end = n; /* len(text.rstrip()) */
    while (end > 0 && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1)))
        end--;
    work_done += n - end;
    return push(out, last_break, end);
}

/* nltk's realignment pattern matched at `start` within [start, stop): the length of its closers
 * (`len(m.group(0).rstrip())`) and of the whole match, or 0 when it does not match. */
static inline __attribute__((always_inline)) Py_ssize_t realign(int kind, const void *data, Py_ssize_t start,
                                                                Py_ssize_t stop, Py_ssize_t *matched) {
    Py_ssize_t i = start;
    while (i < stop && is_closer(PyUnicode_READ(kind, data, i))) {
        i++; /* lazily: the shortest run of closers that something allowed follows */
        work_done++;
        if (i == stop) {
            *matched = i - start;
            return i - start;
        }
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (is_space(c)) {
            Py_ssize_t j = i + 1;
            while (j < stop && is_space(PyUnicode_READ(kind, data, j)))
                j++;
            work_done += j - i;
            *matched = j - start;
            return i - start;
        }
        if (c == '-' && i + 1 < stop && PyUnicode_READ(kind, data, i + 1) == '-') {
            *matched = i - start;
            return i - start;
        }
    }
    return 0;
}

/* The spans, or with `paragraph` given the rows (start + offset, end + offset, paragraph, False,
 * None) of the sentences that are not blank (`text[s:e]` empty or all `str.isspace`). */
static inline __attribute__((always_inline)) PyObject *spans_of(int kind, const void *data, Py_ssize_t n,
                                                               PyObject *text, PyObject *breaks, PyObject *decide,
                                                               Py_ssize_t offset, PyObject *paragraph) {
    Slices slices = {NULL, 0, 0};
    PyObject *out = NULL;
    if (cut(kind, data, n, text, breaks, decide, &slices) < 0)
        goto done;
    out = PyList_New(0);
    if (out == NULL)
        goto done;
    /* nltk's _realign_boundaries over _pair_iter */
    Py_ssize_t shift = 0;
    for (Py_ssize_t s = 0; s < slices.n; s++) {
        Py_ssize_t start = slices.at[s].start + shift, stop = slices.at[s].stop;
        Py_ssize_t end = stop, closers = 0;
        shift = 0;
        if (s + 1 < slices.n) {
            Py_ssize_t next_start = slices.at[s + 1].start, matched = 0;
            closers = realign(kind, data, next_start, slices.at[s + 1].stop, &matched);
            if (closers > 0) {
                end = next_start + closers;
                shift = matched;
            }
        }
        if (closers == 0 && stop <= start)
            continue; /* `if text[sentence1]`: an empty sentence is not given (a realigned one is) */
        PyObject *span;
        if (paragraph != NULL) {
            Py_ssize_t i = start;
            while (i < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
                i++;
            if (i >= end)
                continue; /* blank: not a passage */
            span = Py_BuildValue("(nnOOO)", start + offset, end + offset, paragraph, Py_False, Py_None);
        } else {
            span = Py_BuildValue("(nn)", start, end);
        }
        if (span == NULL || PyList_Append(out, span) < 0) {
            Py_XDECREF(span);
            Py_CLEAR(out);
            goto done;
        }
        Py_DECREF(span);
    }
done:
    PyMem_Free(slices.at);
    return out;
}

static PyObject *spans(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if ((nargs != 3 && nargs != 5) || !PyUnicode_Check(args[0]) || !PyDict_Check(args[1]) ||
        !PyCallable_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "spans(text: str, breaks: dict, decide: callable[, offset: int, paragraph])");
        return NULL;
    }
    Py_ssize_t offset = 0;
    PyObject *paragraph = NULL;
    if (nargs == 5) {
        offset = PyLong_AsSsize_t(args[3]);
        if (offset == -1 && PyErr_Occurred())
            return NULL;
        paragraph = args[4];
    }
    PyObject *text = args[0];
    if (PyUnicode_READY(text) < 0)
        return NULL;
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        return spans_of(PyUnicode_1BYTE_KIND, data, n, text, args[1], args[2], offset, paragraph);
    case PyUnicode_2BYTE_KIND:
        return spans_of(PyUnicode_2BYTE_KIND, data, n, text, args[1], args[2], offset, paragraph);
    default:
        return spans_of(PyUnicode_4BYTE_KIND, data, n, text, args[1], args[2], offset, paragraph);
    }
}

static PyObject *work(PyObject *self, PyObject *unused) {
    Py_ssize_t done = work_done;
    work_done = 0;
    return PyLong_FromSsize_t(done);
}

static PyMethodDef methods[] = {
    {"spans", (PyCFunction)(void (*)(void))spans, METH_FASTCALL,
     "spans(text, breaks, decide[, offset, paragraph]) -> [(start, end)]: nltk's Punkt spans, decisions from breaks "
     "or decide; with offset and paragraph, the rows (start + offset, end + offset, paragraph, False, None) of those "
     "not blank."},
    {"work", work, METH_NOARGS, "Characters read since the last call (and zeroes the count)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_punkt", "Punkt's candidate loop, compiled.",
                                    -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__punkt(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "MARKS", MARKS) < 0 || PyModule_AddStringConstant(m, "NON_WORD", NON_WORD) < 0 ||
        PyModule_AddStringConstant(m, "CLOSERS", CLOSERS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
