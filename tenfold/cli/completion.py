"""Shell completion scripts for `tenfold`, written from the commands' own argument parsers so
they list every command, subcommand and option there is."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from django.core.management import get_commands, load_command_class

# Options every Django command has that nobody types day to day.
PLUMBING = {
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
    "--verbosity",
    "-v",
}
# Where a key result's code goes: (command, subcommand or "", position of the word).
CODE_SLOTS = [("checkin", "", 2), ("okrs", "show", 3)]


@dataclass
class Spec:
    name: str
    help: str = ""
    options: list[str] = field(default_factory=list)
    subcommands: dict[str, Spec] = field(default_factory=dict)


def _options(parser: argparse.ArgumentParser) -> list[str]:
    found: list[str] = []
    for action in parser._actions:
        for option in action.option_strings:
            if option not in PLUMBING and option not in found:
                found.append(option)
    return sorted(found, key=lambda o: (not o.startswith("--"), o))


def _summary(text: str) -> str:
    first = " ".join(str(text or "").split()).split(". ")[0].rstrip(".")
    return first if len(first) <= 70 else first[:69] + "…"


def spec_of(name: str, parser: argparse.ArgumentParser, help_text: str) -> Spec:
    spec = Spec(name=name, help=_summary(help_text), options=_options(parser))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for sub, subparser in action.choices.items():
                spec.subcommands[sub] = spec_of(sub, subparser, helps.get(sub) or "")
        elif not action.option_strings and action.choices and not spec.subcommands:
            # An optional first word with fixed choices (`tenfold okrs [list|show]`).
            for choice in action.choices:
                spec.subcommands[str(choice)] = Spec(name=str(choice), options=list(spec.options))
    return spec


def command_specs() -> list[Spec]:
    specs = []
    for name, app in sorted(get_commands().items()):
        try:
            command = load_command_class(app, name)
            parser = command.create_parser("tenfold", name)
        except Exception:  # nosec B112  # a command that cannot load is left out, not the script
            continue
        specs.append(spec_of(name, parser, command.help))
    return specs


# --- bash ---------------------------------------------------------------------------------------


def bash(specs: list[Spec]) -> str:
    names = " ".join(spec.name for spec in specs)
    cases = []
    for spec in specs:
        if spec.subcommands:
            inner = [
                f"                {sub.name}) words={_sq(' '.join(sub.options))} ;;"
                for sub in spec.subcommands.values()
            ]
            subs = " ".join(spec.subcommands)
            inner.append(
                "                *) if [[ $COMP_CWORD -eq 2 ]]; then "
                f"words={_sq(subs + ' ' + ' '.join(spec.options))}; "
                f"else words={_sq(' '.join(spec.options))}; fi ;;"
            )
            body = '            case "$sub" in\n' + "\n".join(inner) + "\n            esac"
            cases.append(f"        {spec.name})\n{body}\n            ;;")
        else:
            cases.append(f"        {spec.name}) words={_sq(' '.join(spec.options))} ;;")
    slots = " || ".join(
        f'( "$cmd" == {cmd}'
        + (f' && "$sub" == {sub}' if sub else "")
        + f" && $COMP_CWORD -eq {pos} )"
        for cmd, sub, pos in CODE_SLOTS
    )
    return BASH.format(names=names, cases="\n".join(cases), slots=slots)


BASH = """\
# bash completion for tenfold; load it with:  source <(tenfold completion bash)
_tenfold_codes() {{
    # Codes and titles of the current cycle's OKRs (from TENFOLD_URL, or nothing).
    command tenfold okrs --codes 2>/dev/null | cut -f1
}}

_tenfold() {{
    local cur cmd sub words
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    COMPREPLY=()
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=( $(compgen -W "{names}" -- "$cur") )
        return 0
    fi
    cmd="${{COMP_WORDS[1]}}"
    sub=""
    if [[ $COMP_CWORD -gt 2 ]]; then
        sub="${{COMP_WORDS[2]}}"
    fi
    words=""
    case "$cmd" in
{cases}
    esac
    if [[ "$cur" != -* ]] && [[ {slots} ]]; then
        words="$words $(_tenfold_codes)"
    fi
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
    return 0
}}

complete -o default -F _tenfold tenfold
"""


def _sq(text: str) -> str:
    """A single-quoted shell word."""
    return "'" + text.replace("'", "'\\''") + "'"


# --- zsh ----------------------------------------------------------------------------------------


def zsh(specs: list[Spec]) -> str:
    def described(spec: Spec) -> str:
        return _sq(spec.name + ":" + spec.help.replace(":", "\\:"))

    commands = "\n".join(f"        {described(spec)}" for spec in specs)
    cases = []
    for spec in specs:
        options = " ".join(spec.options)
        if spec.subcommands:
            inner = [
                f"                {sub.name}) opts=({' '.join(sub.options)}) ;;"
                for sub in spec.subcommands.values()
            ]
            subs = "\n".join(
                f"                    {described(s)}" for s in spec.subcommands.values()
            )
            inner.append(
                "                *)\n"
                "                    if (( CURRENT == 3 )); then\n"
                f"                        subs=(\n{subs}\n                        )\n"
                "                        _describe 'subcommand' subs\n"
                "                    fi\n"
                f"                    opts=({options}) ;;"
            )
            body = "            case $sub in\n" + "\n".join(inner) + "\n            esac"
            cases.append(f"        {spec.name})\n{body}\n            ;;")
        else:
            cases.append(f"        {spec.name}) opts=({options}) ;;")
    # zsh counts the words from 1 (the command name), bash from 0.
    slots = " || ".join(
        f"( $cmd == {cmd}" + (f" && $sub == {sub}" if sub else "") + f" && $CURRENT -eq {pos + 1} )"
        for cmd, sub, pos in CODE_SLOTS
    )
    return ZSH.format(commands=commands, cases="\n".join(cases), slots=slots)


ZSH = """\
#compdef tenfold
# zsh completion for tenfold; load it with:  source <(tenfold completion zsh)
_tenfold() {{
    local cmd sub
    local -a commands subs opts codes
    commands=(
{commands}
    )
    if (( CURRENT == 2 )); then
        _describe 'command' commands
        return
    fi
    cmd=$words[2]
    sub=$words[3]
    case $cmd in
{cases}
    esac
    if [[ $PREFIX != -* ]] && [[ {slots} ]]; then
        local line
        for line in ${{(f)"$(command tenfold okrs --codes 2>/dev/null)"}}; do
            codes+=("${{line/$'\\t'/:}}")
        done
        (( ${{#codes}} )) && _describe 'code' codes
    fi
    compadd -- $opts
    _files
}}

if (( $+functions[compdef] )); then
    compdef _tenfold tenfold
fi
"""


# --- fish ---------------------------------------------------------------------------------------


def fish(specs: list[Spec]) -> str:
    lines = [
        "# fish completion for tenfold; load it with:  tenfold completion fish | source",
    ]
    for spec in specs:
        lines.append(
            f"complete -c tenfold -n __fish_use_subcommand -a {spec.name} -d {_fq(spec.help)}"
        )
    for spec in specs:
        if spec.subcommands:
            subs = " ".join(spec.subcommands)
            lines.append(
                f"complete -c tenfold -n '__fish_seen_subcommand_from {spec.name}; and not "
                f"__fish_seen_subcommand_from {subs}' -a {_fq(subs)}"
            )
            for sub in spec.subcommands.values():
                condition = (
                    f"__fish_seen_subcommand_from {spec.name}; "
                    f"and __fish_seen_subcommand_from {sub.name}"
                )
                lines.extend(_fish_options(condition, sub.options))
        lines.extend(_fish_options(f"__fish_seen_subcommand_from {spec.name}", spec.options))
    for cmd, word, _pos in CODE_SLOTS:
        condition = f"__fish_seen_subcommand_from {cmd}"
        if word:
            condition += f"; and __fish_seen_subcommand_from {word}"
        lines.append(
            f"complete -c tenfold -n '{condition}' -a '(command tenfold okrs --codes 2>/dev/null)'"
        )
    return "\n".join(lines) + "\n"


def _fish_options(condition: str, options: list[str]) -> list[str]:
    lines = []
    for option in options:
        flag = f"-l {option[2:]}" if option.startswith("--") else f"-s {option[1:]}"
        lines.append(f"complete -c tenfold -n '{condition}' {flag}")
    return lines


def _fq(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


SHELLS = {"bash": bash, "zsh": zsh, "fish": fish}


def script(shell: str) -> str:
    return SHELLS[shell](command_specs())
