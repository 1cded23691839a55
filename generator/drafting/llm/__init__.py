"""The LLM stage: prompts, the OpenAI-compatible client, reply parsing, the guard and the proof of each section.

Imported only when the stage runs: a template-only run never loads the openai SDK.
"""
