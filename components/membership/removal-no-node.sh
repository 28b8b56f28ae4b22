delete_node() { :; }
