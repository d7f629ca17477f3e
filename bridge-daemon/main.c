#include <stdio.h>
int main(void) { puts("sipcidd " SIPCID_VERSION); return 0; }
