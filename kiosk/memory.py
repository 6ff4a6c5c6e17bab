"""Memory the kiosk no longer needs goes back to the system (issue 21).

Four things, measured with bench/kiosk_bench.py (docs/proof.md, issue 21 kiosk):
- ``drop_text_surfaces``: Kivy's SDL2 text provider keeps every label's pixels twice;
- ``share_font_faces``: it opens one font face for 40 and another for 40.0;
- ``release_textures`` / ``restore_textures``: the screens a visit left behind let go of
  their text textures until they are shown again;
- ``give_memory_back``: what a visit freed is handed back, once Home is drawn.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import weakref


def give_memory_back() -> None:
    """Collect what the last visit freed and hand free heap pages back to the system.

    Python's allocator and glibc keep freed memory for reuse; malloc_trim returns what
    can be returned (Linux with glibc; elsewhere only the collection happens).
    """
    gc.collect()
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is not None:
        trim(0)


def drop_text_surfaces() -> None:
    """Let a label's drawing surface go once its pixels are in the texture.

    Kivy 2.3's SDL2 text provider draws a label's text into an SDL surface
    (``_render_begin``), copies its pixels out (``_render_end``) for the texture, and then
    keeps the surface on the label until the text is drawn again: a second copy of every
    label's pixels for as long as the label lives (4 bytes a pixel; a full-width step text
    is 1-2 MiB). Measured: 2.4 MiB at Home's first frame, 7.8 MiB after every guide. The
    surface is never read again (a redraw makes a new one), so it is dropped at once.
    Other text providers are left alone. Safe to call more than once.
    """
    try:
        from kivy.core.text.text_sdl2 import LabelSDL2
    except ImportError:  # another text provider: it keeps no surface
        return
    render_end = getattr(LabelSDL2, "_render_end", None)
    if render_end is None or getattr(LabelSDL2, "_drops_surface", False):
        return  # (a Kivy without this private method: it is left as it is, never a crash)

    def _render_end(self):
        try:
            return render_end(self)
        finally:
            self._surface = None

    LabelSDL2._render_end = _render_end
    LabelSDL2._drops_surface = True


def share_font_faces() -> None:
    """One open font face per font, style and whole pixel size.

    Kivy 2.3's SDL2 text provider keeps the faces it opens by the label's font size as
    written (``LabelSDL2._get_font_id``: "40", "40.0", "39.199999999999996"), but opens each
    at the whole size (``TTF_OpenFont(int(font_size))``): a size reached by arithmetic
    (a kv rule's ``app.heading_size * 0.7``) opened a second face identical to one already
    open, each with its HarfBuzz tables (about 0.4 MiB for BIZ UD Gothic). Keyed by the
    whole size, such labels share the face they were drawn with anyway: the same pixels.
    Other text providers are left alone. Safe to call more than once.
    """
    try:
        from kivy.core.text.text_sdl2 import LabelSDL2
    except ImportError:
        return
    font_id = getattr(LabelSDL2, "_get_font_id", None)
    if font_id is None or getattr(LabelSDL2, "_shares_faces", False):
        return  # (a Kivy without this private method: it is left as it is, never a crash)

    def _get_font_id(self):
        size, _, rest = font_id(self).partition("|")
        try:
            return f"{int(float(size))}|{rest}"
        except ValueError:  # a size Kivy itself could not open: its own message follows
            return f"{size}|{rest}"

    LabelSDL2._get_font_id = _get_font_id
    LabelSDL2._shares_faces = True


def release_textures(screen) -> None:
    """Let go of the text textures of ``screen``, a screen the kiosk has left (not shown).

    Under Mesa's software OpenGL (Xvfb, a kiosk without a GPU driver) a texture lives in
    the kiosk's own memory: the guide screens' texts are several MiB. The labels keep
    their text and size, so nothing moves; ``restore_textures`` draws them again just
    before the screen is shown (the same frame), so no one sees a difference.
    """
    from kivy.uix.label import Label

    released = []
    for widget in screen.walk(restrict=True):
        core = getattr(widget, "_label", None) if isinstance(widget, Label) else None
        if core is None or core.texture is None:
            continue
        core.texture = None
        widget.texture = None
        released.append(weakref.ref(widget))
    screen._released_textures = getattr(screen, "_released_textures", []) + released


def restore_textures(screen) -> None:
    """Draw again the texts ``release_textures`` let go of (a screen about to be shown)."""
    released = getattr(screen, "_released_textures", None)
    if not released:
        return
    screen._released_textures = []
    for ref in released:
        widget = ref()
        if widget is not None and widget.texture is None and widget._label.texture is None:
            widget.texture_update()
