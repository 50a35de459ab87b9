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
