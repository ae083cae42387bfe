// Placeholder: replaced by the simulator.
return 0;
