BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule

    function ConvertTo-PlainText {
        param([System.Security.SecureString] $Secure)
        (New-Object System.Management.Automation.PSCredential -ArgumentList 'x', $Secure).GetNetworkCredential().Password
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Reset-VmmPerimeterHostPassword' {
    BeforeEach {
        Reset-VmmStub
        Set-VmmStubBehavior Get-SCVMHost {
            New-TestHost 'hv01' -State NotResponding
            New-TestHost "dmz'01;]" -State NotResponding -Perimeter $true
            New-TestHost 'dmz02.contoso.test' -State NotResponding -Perimeter $true
            New-TestHost 'dmz03' -State Responding -Perimeter $true
        }
        Set-VmmStubBehavior Set-SCVMHost { param($Call) $Call.BoundParameters['VMHost'] }
    }

    It 'sets a new password in VMM for each Not Responding perimeter host and says which account to change on which host' {
        $results = @(Reset-VmmPerimeterHostPassword -PassThruPassword -VMMServer vmm01 -Confirm:$false)
        $results.Count | Should -Be 2
        $results.ComputerName | Should -Be @("dmz'01;]", 'dmz02.contoso.test')
        foreach ($result in $results) {
            { Assert-VmmOutputSchema $result 'Reset-VmmPerimeterHostPassword' } | Should -Not -Throw
            $result.State | Should -Be 'ActionRequired'
            $result.AccountPattern | Should -Be '^scvmm.{5}$'
            $result.Instruction | Should -Match ('^On ' + [regex]::Escape($result.ComputerName) + ':')
            $result.Instruction | Should -Match 'scvmm followed by 5 characters'
            $result.Password | Should -BeOfType [System.Security.SecureString]
        }
        $calls = @(Get-VmmStubCall -CommandName Set-SCVMHost)
        $calls.Count | Should -Be 2
        for ($i = 0; $i -lt 2; $i++) {
            $calls[$i].BoundParameters['VMHost'].ComputerName | Should -Be $results[$i].ComputerName
            $sent = $calls[$i].BoundParameters['VMHostManagementCredential']
            $sent | Should -BeOfType [System.Management.Automation.PSCredential]
            $sent.GetNetworkCredential().Password | Should -Be (ConvertTo-PlainText $results[$i].Password) -Because 'VMM gets the same password the operator sets on the host'
        }
        (ConvertTo-PlainText $results[0].Password) | Should -Not -Be (ConvertTo-PlainText $results[1].Password)
    }

    It 'never shows the password in output, verbose, warning or information streams' {
        $all = @(Reset-VmmPerimeterHostPassword -PassThruPassword -ComputerName "dmz'01;]" -VMMServer vmm01 -Confirm:$false -Verbose *>&1)
        $result = $all | Where-Object { $_.PSObject.TypeNames -contains 'VmmBackup.PerimeterHostReset' }
        $plain = ConvertTo-PlainText $result.Password
        $plain.Length | Should -Be 24
        @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        $text = ($all | ForEach-Object { ($_ | Out-String); ($_ | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue) }) -join "`n"
        $text.Contains($plain) | Should -BeFalse
        ($result | Format-List * | Out-String).Contains($plain) | Should -BeFalse
    }

    It 'refuses to run without -PassThruPassword, changing nothing' {
        { Reset-VmmPerimeterHostPassword -VMMServer vmm01 -Confirm:$false } | Should -Throw '*-PassThruPassword*'
        Get-VmmStubCall | Should -BeNullOrEmpty
    }

    It 'handles only the hosts named and refuses a host outside the perimeter network' {
        $results = @(Reset-VmmPerimeterHostPassword -PassThruPassword -ComputerName 'dmz02', 'hv01' -VMMServer vmm01 -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue)
        $results.ComputerName | Should -Be 'dmz02.contoso.test'
        "$errors" | Should -Match "'hv01' is not a perimeter-network host"
        @(Get-VmmStubCall -CommandName Set-SCVMHost).Count | Should -Be 1
    }

    It 'reports Failed, returns no password and says what to do when VMM refuses the password' {
        Set-VmmStubBehavior Set-SCVMHost { throw 'Error (20400): the parameter is not supported for this host.' }
        $results = @(Reset-VmmPerimeterHostPassword -PassThruPassword -ComputerName 'dmz02' -VMMServer vmm01 -Confirm:$false -ErrorAction SilentlyContinue)
        $results[0].State | Should -Be 'Failed'
        $results[0].Password | Should -BeNullOrEmpty
        $results[0].Instruction | Should -Match 'Options tab'
    }

    It 'changes nothing with -WhatIf' {
        Reset-VmmPerimeterHostPassword -VMMServer vmm01 -WhatIf | Should -BeNullOrEmpty
        Get-VmmMutatingCall | Should -BeNullOrEmpty
    }
}

Describe 'New-VmmStrongPassword' {
    It 'makes different 24-character passwords with upper and lower case letters, digits and symbols' {
        $plain = InModuleScope VmmBackup { 1..20 | ForEach-Object { (New-Object System.Management.Automation.PSCredential -ArgumentList 'x', (New-VmmStrongPassword)).GetNetworkCredential().Password } }
        @($plain | Select-Object -Unique).Count | Should -Be 20
        foreach ($p in $plain) {
            $p.Length | Should -Be 24
            $p | Should -MatchExactly '[A-Z]'
            $p | Should -MatchExactly '[a-z]'
            $p | Should -Match '[0-9]'
            $p | Should -Match '[^A-Za-z0-9]'
            $p | Should -Not -MatchExactly '[0O1lI]'
        }
    }

    It 'honours -Length and returns a read-only SecureString' {
        $secure = InModuleScope VmmBackup { New-VmmStrongPassword -Length 40 }
        $secure.Length | Should -Be 40
        $secure.IsReadOnly() | Should -BeTrue
        { InModuleScope VmmBackup { New-VmmStrongPassword -Length 8 } } | Should -Throw
    }
}
