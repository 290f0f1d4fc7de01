"""The definition stage: catalogue and questionnaire models, YAML loading, rules."""
