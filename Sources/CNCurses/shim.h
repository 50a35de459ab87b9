// ncursesw with macros wrapped as functions Swift can call.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>

static inline WINDOW *tend_stdscr(void) { return stdscr; }
static inline int tend_lines(void) { return LINES; }
static inline int tend_cols(void) { return COLS; }
static inline int tend_colors(void) { return COLORS; }
static inline int tend_color_pairs(void) { return COLOR_PAIRS; }
static inline void tend_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
static inline attr_t tend_a_bold(void) { return A_BOLD; }
static inline attr_t tend_a_dim(void) { return A_DIM; }
static inline attr_t tend_a_reverse(void) { return A_REVERSE; }
static inline attr_t tend_a_underline(void) { return A_UNDERLINE; }
static inline attr_t tend_a_italic(void) { return A_ITALIC; }
static inline attr_t tend_a_normal(void) { return A_NORMAL; }
static inline int tend_color_pair(int n) { return COLOR_PAIR(n); }
static inline int tend_key_resize(void) { return KEY_RESIZE; }

// ---- Added for TendTerminal ----
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <termios.h>

static inline int tend_err(void) { return ERR; }
static inline int tend_ok(void) { return OK; }
static inline int tend_key_code_yes(void) { return KEY_CODE_YES; }
static inline int tend_key_f(int n) { return KEY_F(n); }
static inline attr_t tend_wa_normal(void) { return WA_NORMAL; }

/// The locale's character set name (e.g. "UTF-8"), after setlocale.
static inline const char *tend_codeset(void) { return nl_langinfo(CODESET); }

/// Sets one cell from up to 5 wide characters (0-terminated), attributes and an extended colour pair.
static inline int tend_put_cell(WINDOW *w, int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t cc;
    if (setcchar(&cc, wch, attrs, 0, &pair) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}

static inline FILE *tend_stdout(void) { return stdout; }
static inline FILE *tend_stdin(void) { return stdin; }

// sigaction without Swift having to spell the struct/function of the same name. `saved` points to
// tend_sigaction_size() bytes.
static inline size_t tend_sigaction_size(void) { return sizeof(struct sigaction); }
static inline int tend_install_handler(int sig, void (*handler)(int), int resetAndNoDefer, void *saved) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = resetAndNoDefer ? (SA_RESETHAND | SA_NODEFER) : 0;
    return sigaction(sig, &sa, (struct sigaction *)saved);
}
static inline int tend_restore_handler(int sig, const void *saved) {
    return sigaction(sig, (const struct sigaction *)saved, NULL);
}

// ---- Frame encoding (TendTerminal.FrameEncoder) ----
#include <wchar.h>
#include <term.h>
extern int wcwidth(wchar_t c);

/// 1 when the current terminal's terminfo has the string capability `name` (e.g. "hpa").
static inline int tend_has_string_cap(const char *name) {
    char *s = tigetstr((char *)name);
    return s != NULL && s != (char *)-1;
}

// ---- Pseudo-terminals (TendTerminal.PseudoTerminal) ----
#include <fcntl.h>
#include <sys/ioctl.h>

/// Sets a terminal's size in cells (TIOCSWINSZ), for pseudo-terminals.
static inline int tend_set_winsize(int fd, int rows, int cols) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = (unsigned short)rows; ws.ws_col = (unsigned short)cols;
    return ioctl(fd, TIOCSWINSZ, &ws);
}

extern int posix_openpt(int flags);
extern int grantpt(int fd);
extern int unlockpt(int fd);
extern char *ptsname(int fd);

/// Opens a pseudo-terminal pair; returns 0 and both descriptors, or -1 with errno set.
static inline int tend_open_pty(int *master, int *slave) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) return -1;
    char *name = NULL;
    if (grantpt(m) != 0 || unlockpt(m) != 0 || (name = ptsname(m)) == NULL) { int e = errno; close(m); errno = e; return -1; }
    int s = open(name, O_RDWR | O_NOCTTY);
    if (s < 0) { int e = errno; close(m); errno = e; return -1; }
    *master = m; *slave = s;
    return 0;
}
