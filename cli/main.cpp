#include <iostream>
int main() { std::cout << "rkt placeholder\n"; return 0; }
