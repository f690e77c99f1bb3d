"""CRM data: what one CRM record means for a salesperson's results, whatever file or API it came from."""
