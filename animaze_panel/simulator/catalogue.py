"""What the simulated Animaze has "on disk": avatars, scenes, emotes, props, voice effects.

The first fourteen avatars are hand-written (the spec's Fluffo, AvatarBomb and Avatar03 among
them); benchmarks can ask for hundreds more, generated deterministically. Every avatar has its
own special actions, poses and idle animations; idle indices have gaps for some avatars, as in
the spec's example (``0, 2, 3``), so clients must use the indices Animaze gives them.
Item names are looked up case-insensitively.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from ..animaze.responses import AnimEntry, AvatarInfo, Emote
from .icons import IconKind


@dataclass(frozen=True)
class AvatarSpec:
    """One avatar with its per-avatar animations."""

    item_name: str
    friendly_name: str
    description: str
    item_type: str = "Avatar3D"
    props: tuple[str, ...] = ()
    is_customized: bool = False
    special_actions: tuple[AnimEntry, ...] = ()
    poses: tuple[AnimEntry, ...] = ()
    idles: tuple[AnimEntry, ...] = ()

    def info(self) -> AvatarInfo:
        """The GetCurrentAvatarInfo entry for this avatar."""
        return AvatarInfo(
            item_name=self.item_name,
            friendly_name=self.friendly_name,
            description=self.description,
            item_type=self.item_type,
            anim_standard="AnimazeStandard_1_0",
            is_customized=self.is_customized,
            props=self.props,
        )


@dataclass(frozen=True)
class SceneSpec:
    """One scene."""

    item_name: str
    friendly_name: str
    description: str


_AVATARS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("avatar01_BS_Full", "Fluffo", "A spiffy and adorable red panda.", "Avatar3D",
     ("crown_king", "greenGlasses", "headphones")),
    ("AvatarBomb", "Bomb", "A walking, talking cartoon bomb with a very short fuse.", "Avatar3D",
     ()),
    ("Avatar03", "Kitsune", "A nine-tailed fox spirit with a mischievous grin.", "Avatar3D",
     ("flower_crown",)),
    ("Jace_Robot", "Jace", "A friendly service robot who loves a good stream.", "Avatar3D",
     ("headphones",)),
    ("Penny_Penguin", "Penny", "A penguin who left the ice for the spotlight.", "Avatar3D",
     ("bow_tie", "top_hat")),
    ("Captain_Zed", "Captain Zed", "A space pirate with a heart of gold-pressed latinum.",
     "Avatar3D", ("pirate_hat", "eye_patch")),
    ("Mochi_Cat", "Mochi", "A round, sleepy cat made of rice cake.", "Avatar3D", ()),
    ("Dragonling_Ember", "Ember", "A baby dragon still learning to breathe fire.", "Avatar3D",
     ("scarf",)),
    ("Astro_Kid", "Astro", "A young astronaut on a very long field trip.", "Avatar3D",
     ("space_helmet",)),
    ("Ghosty", "Ghosty", "A shy ghost who haunts chat rooms.", "Avatar2D", ("halo",)),
    ("Vtuber_Sakura", "Sakura", "A cheerful idol with a cherry-blossom hairpin.", "Avatar2D",
     ("hairpin_sakura", "headphones")),
    ("Barnaby_Bear", "Barnaby", "A gentle bear who reads bedtime stories.", "Avatar3D",
     ("reading_glasses",)),
    ("Pixel_Knight", "Sir Pixel", "An 8-bit knight on a quest for the perfect frame rate.",
     "Avatar3D", ("pixel_sword", "crown_king")),
    ("Nova_Alien", "Nova", "A curious visitor from the Andromeda galaxy.", "Avatar3D",
     ("antenna_band", "greenGlasses")),
)  # fmt: skip

_SCENES: tuple[tuple[str, str, str], ...] = (
    ("RGBRoom", "The RGB Room", "A gamer's room."),
    ("Spaceship", "Spaceship Bridge", "The bridge of a starship, stars streaking past."),
    ("Stream", "Cozy Stream Room", "A warm room with plants and fairy lights."),
    ("customization01_scene", "Customization Studio", "A neutral studio for trying outfits."),
    ("Beach_Sunset", "Sunset Beach", "Waves, palm trees and a pink evening sky."),
    ("Forest_Clearing", "Forest Clearing", "Sunlight through tall pines."),
    ("Neon_City", "Neon City", "Rain-soaked streets under neon signs."),
    ("Green_Screen", "Green Screen", "Flat chroma green for keying in OBS."),
)

_EMOTES = (
    "Alarm", "Angry", "Applause", "Blush", "Bored", "Confetti", "Cool", "Cry", "Dizzy",
    "Facepalm", "Fire", "Ghost", "Heart Eyes", "Hearts", "Kiss", "Laugh", "Lightbulb",
    "Love Letter", "Mind Blown", "Money", "Party", "Question", "Rage", "Rainbow", "Shock",
    "Sleepy", "Sparkles", "Sweat", "Thumbs Up", "Zzz",
)  # fmt: skip

_VOICE_EFFECTS = ("VoiceFX_Robot", "VoiceFX_Chipmunk", "VoiceFX_Deep", "VoiceFX_Echo")

_SPECIALS = (
    "Come here", "Hello", "Wave", "Dance", "Clap", "Facepalm", "Thumbs Up", "Shrug", "Bow",
    "Jump", "Spin", "Laugh", "Salute", "Heart Hands", "Victory", "Think",
)  # fmt: skip
_POSES = (
    "Puff Cheeks", "Tongue Out", "Wink", "Surprised", "Pout", "Big Smile", "Angry Brows",
    "Sad Eyes", "Side Eye", "Smug",
)  # fmt: skip
_IDLES = (
    "Default Idle", "Bored", "Fight", "Relaxed", "Energetic", "Sleepy Sway", "Look Around",
    "Thinking",
)  # fmt: skip


def _entries(
    rng: random.Random, pool: tuple[str, ...], low: int, gaps: bool
) -> tuple[AnimEntry, ...]:
    names = rng.sample(pool, rng.randint(low, len(pool) * 2 // 3))
    entries, index = [], 0
    for name in names:
        entries.append(AnimEntry(name, index))
        index += 2 if gaps and rng.random() < 0.3 else 1
    return tuple(entries)


def _avatar(
    i: int, item: str, friendly: str, desc: str, kind: str, props: tuple[str, ...]
) -> AvatarSpec:
    rng = random.Random(f"avatar:{item}")
    # Even avatars skip idle index 1, like the spec's example list (0, 2, 3).
    shift = 2 if i % 2 == 0 else 1
    others = _entries(rng, _IDLES[1:], 2, gaps=i % 2 == 0)
    idles = (
        AnimEntry("Default Idle", 0),
        *(AnimEntry(e.anim_name, e.index + shift) for e in others),
    )
    return AvatarSpec(
        item_name=item,
        friendly_name=friendly,
        description=desc,
        item_type=kind,
        props=props,
        is_customized=bool(props) and i % 3 == 0,
        special_actions=_entries(rng, _SPECIALS, 3, gaps=False),
        poses=_entries(rng, _POSES, 2, gaps=False),
        idles=idles,
    )


@dataclass(frozen=True)
class Catalogue:
    """Everything the simulated Animaze can load or show an icon for."""

    avatars: tuple[AvatarSpec, ...]
    scenes: tuple[SceneSpec, ...]
    emotes: tuple[Emote, ...]
    props: tuple[str, ...]
    voice_effects: tuple[str, ...]

    def avatar(self, name: str) -> AvatarSpec | None:
        """Find an avatar by item name, case-insensitively."""
        return self._indexes[0].get(name.casefold())

    def scene(self, name: str) -> SceneSpec | None:
        """Find a scene by item name, case-insensitively."""
        return self._indexes[1].get(name.casefold())

    def emote(self, name: str) -> Emote | None:
        """Find an emote by item name, case-insensitively."""
        return self._indexes[2].get(name.casefold())

    def icon_item(self, name: str) -> tuple[IconKind, str] | None:
        """Find any gallery item (avatar, scene, emote, prop, voice effect) for GetItemIcon.

        Returns:
            The kind of icon to draw and the item's canonical name, or ``None``.
        """
        return self._indexes[3].get(name.casefold())

    @functools.cached_property
    def _indexes(
        self,
    ) -> tuple[
        dict[str, AvatarSpec],
        dict[str, SceneSpec],
        dict[str, Emote],
        dict[str, tuple[IconKind, str]],
    ]:
        avatars = {a.item_name.casefold(): a for a in self.avatars}
        scenes = {s.item_name.casefold(): s for s in self.scenes}
        emotes = {e.item_name.casefold(): e for e in self.emotes}
        icons: dict[str, tuple[IconKind, str]] = {}
        for name in (*self.props, *self.voice_effects):
            icons[name.casefold()] = (IconKind.PROP, name)
        icons.update({k: (IconKind.EMOTE, e.item_name) for k, e in emotes.items()})
        icons.update({k: (IconKind.SCENE, s.item_name) for k, s in scenes.items()})
        icons.update({k: (IconKind.AVATAR, a.item_name) for k, a in avatars.items()})
        return avatars, scenes, emotes, icons


BASE_AVATAR_COUNT = len(_AVATARS)


@functools.lru_cache(maxsize=8)
def build_catalogue(num_avatars: int = BASE_AVATAR_COUNT) -> Catalogue:
    """Build (and cache) the catalogue.

    Args:
        num_avatars: How many avatars to offer; beyond the hand-written ones, avatars named
            ``Generated_0015``... are added (benchmarks use 500).

    Returns:
        The catalogue.

    Raises:
        ValueError: ``num_avatars`` is below 1.
    """
    if num_avatars < 1:
        raise ValueError("num_avatars must be at least 1")
    rows = list(_AVATARS[:num_avatars])
    for i in range(len(rows), num_avatars):
        n = i + 1
        rows.append((f"Generated_{n:04d}", f"Avatar {n}", f"Generated avatar number {n}.",
                     "Avatar3D", ()))  # fmt: skip
    avatars = tuple(_avatar(i, *row) for i, row in enumerate(rows))
    props = sorted({p for a in avatars for p in a.props})
    return Catalogue(
        avatars=avatars,
        scenes=tuple(SceneSpec(*row) for row in _SCENES),
        emotes=tuple(Emote(name, "Emote_" + name.replace(" ", "")) for name in _EMOTES),
        props=tuple(props),
        voice_effects=_VOICE_EFFECTS,
    )
