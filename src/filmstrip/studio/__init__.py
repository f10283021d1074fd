"""The author's workshop: upload, order, caption and publish an essay (/studio/)."""
