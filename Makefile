# Thin wrappers around scripts/ (the README's commands work without make).
.PHONY: setup dev check test test-pg bench messages

setup:
	./scripts/setup

dev:
	./scripts/run

check: setup
	.venv/bin/zhongshu check

test:
	./scripts/test

test-pg:
	./scripts/test --postgres

bench: setup
	.venv/bin/zhongshu bench numbering

messages: setup
	.venv/bin/zhongshu makemessages --locale zh_Hans --ignore ".venv/*" --ignore "node_modules/*"
	.venv/bin/zhongshu compile_translations
