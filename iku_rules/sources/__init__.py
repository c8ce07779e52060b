"""The office's data: reading its files (:mod:`.reader`) and the backends that aggregate them."""
